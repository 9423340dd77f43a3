package dev.audiencekit.delivery;

import java.util.List;

/** A batch read back from the spool; acknowledged once delivered, or returned to be tried again. */
final class SpoolRecord {
  final SpoolQueue queue;
  final SpoolQueue.Segment segment;
  final List<String> events;

  SpoolRecord(SpoolQueue queue, SpoolQueue.Segment segment, List<String> events) {
    this.queue = queue;
    this.segment = segment;
    this.events = events;
  }

  /** The batch is settled (delivered or dead-lettered): its file may go once all its records are. */
  void ack() {
    queue.ack(this);
  }

  /** The batch could not be delivered now: hand it out again later. It stays on disk meanwhile. */
  void nack() {
    queue.nack(this);
  }
}
