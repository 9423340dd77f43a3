package dev.audiencekit.sink;

import java.util.List;

/** {@code sink=none}: discards every event (they still count as delivered). */
public final class NoneSink implements EventSink {
  @Override
  public void deliver(List<String> events) {
    // nothing to do, by design
  }
}
