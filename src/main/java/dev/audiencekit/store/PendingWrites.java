package dev.audiencekit.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write-behind queue of a {@link Mirror}: store writes not yet done, coalesced per key (the latest
 * record per anonymousId, the latest link or unlink per fingerprint/anonymousId pair), in the order
 * they were first made, bounded (the oldest dropped). A batch being written ("in flight") stays
 * visible to reads until it is done, so reads see every write made on this node. Thread-safe.
 *
 * <p>Order rules that keep coalescing correct: a record op replaces an earlier one in place (its
 * position is kept); a delete also drops the pending links of its anonymousId (the store delete removes
 * them anyway, and a later link must not run before the delete); ops of a failed batch go back in
 * front of everything queued since, unless something newer supersedes them.
 */
final class PendingWrites {

  /** One queued write. */
  sealed interface Op permits RecordOp, LinkOp {}

  /**
   * Delete (when {@code delete}) and then save {@code record} (when not {@code null}).
   */
  record RecordOp(String anonymousId, IdentityRecord record, boolean delete) implements Op {}

  /** Link with {@code seen}, or unlink when {@code seen} is {@code null}. */
  record LinkOp(String fingerprint, String anonymousId, Instant seen) implements Op {}

  private record LinkKey(String fingerprint, String anonymousId) {}

  private final int max;
  private LinkedHashMap<Object, Op> pending = new LinkedHashMap<>();
  private LinkedHashMap<Object, Op> inFlight = new LinkedHashMap<>();

  PendingWrites(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    this.max = max;
  }

  /** Queues a save; returns how many old writes were dropped to make room. */
  synchronized int save(IdentityRecord record) {
    String id = record.anonymousId();
    Op previous = pending.get(id);
    boolean delete = previous instanceof RecordOp r && r.delete();
    pending.put(id, new RecordOp(id, record, delete)); // keeps an existing entry's position
    return bound();
  }

  /** Queues a delete of the record and the links of {@code anonymousId}. */
  synchronized int delete(String anonymousId) {
    for (Iterator<Map.Entry<Object, Op>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() instanceof LinkOp l && l.anonymousId().equals(anonymousId)) {
        it.remove();
      }
    }
    pending.put(anonymousId, new RecordOp(anonymousId, null, true));
    return bound();
  }

  synchronized int link(String fingerprint, String anonymousId, Instant seen) {
    LinkKey key = new LinkKey(fingerprint, anonymousId);
    Op previous = pending.get(key);
    if (previous instanceof LinkOp l && l.seen() != null && l.seen().isAfter(seen)) {
      return 0;
    }
    pending.put(key, new LinkOp(fingerprint, anonymousId, seen));
    return bound();
  }

  synchronized int unlink(String fingerprint, String anonymousId) {
    pending.put(new LinkKey(fingerprint, anonymousId), new LinkOp(fingerprint, anonymousId, null));
    return bound();
  }

  /**
   * Drops the oldest writes beyond the bound, deletes last: a delete is what a {@code reset()} or a
   * revocation left behind, and losing one would bring a forgotten identity back. Deletes are dropped
   * only when they alone fill four times the bound.
   */
  private int bound() {
    int dropped = 0;
    for (Iterator<Op> it = pending.values().iterator(); pending.size() > max && it.hasNext(); ) {
      Op op = it.next();
      if (!(op instanceof RecordOp r && r.delete())) {
        it.remove();
        dropped++;
      }
    }
    for (Iterator<Op> it = pending.values().iterator(); pending.size() > 4L * max && it.hasNext(); ) {
      it.next();
      it.remove();
      dropped++;
    }
    return dropped;
  }

  /** The latest queued or in-flight link time of {@code anonymousId} with any fingerprint, or null. */
  synchronized Instant latestLink(String anonymousId) {
    Instant latest = null;
    for (Map<Object, Op> ops : List.of(inFlight, pending)) {
      for (Op op : ops.values()) {
        if (op instanceof LinkOp l && l.seen() != null && l.anonymousId().equals(anonymousId)
            && (latest == null || l.seen().isAfter(latest))) {
          latest = l.seen();
        }
      }
    }
    return latest;
  }

  /**
   * The newest queued or in-flight record op of {@code anonymousId}, or {@code null} when there is
   * none (then the store has the latest word).
   */
  synchronized RecordOp peek(String anonymousId) {
    Op op = pending.get(anonymousId);
    if (op == null) {
      op = inFlight.get(anonymousId);
    }
    return (RecordOp) op;
  }

  /**
   * Applies the queued and in-flight writes to the anonymousIds that the store links to
   * {@code fingerprint}: deletes and unlinks remove, links seen at or after {@code since} add.
   */
  synchronized void overlay(String fingerprint, Set<String> linked, Instant since) {
    apply(inFlight, fingerprint, linked, since);
    apply(pending, fingerprint, linked, since);
  }

  private static void apply(Map<Object, Op> ops, String fingerprint, Set<String> linked, Instant since) {
    for (Op op : ops.values()) {
      if (op instanceof RecordOp r) {
        if (r.delete()) {
          linked.remove(r.anonymousId());
        }
      } else if (op instanceof LinkOp l && l.fingerprint().equals(fingerprint)) {
        if (l.seen() == null) {
          linked.remove(l.anonymousId());
        } else if (!l.seen().isBefore(since)) {
          linked.add(l.anonymousId());
        }
      }
    }
  }

  /** Moves everything queued in flight and returns it in order (empty when nothing is queued). */
  synchronized List<Op> take() {
    if (!inFlight.isEmpty()) {
      throw new IllegalStateException("a batch is already in flight");
    }
    List<Op> batch = new ArrayList<>(pending.values());
    LinkedHashMap<Object, Op> swap = inFlight;
    inFlight = pending;
    pending = swap;
    return batch;
  }

  /** The batch in flight was written. */
  synchronized void done() {
    inFlight.clear();
  }

  /**
   * The batch in flight was written up to, not including, {@code unwritten}: those go back in front of
   * what was queued since, unless superseded. Returns how many were dropped to respect the bound.
   */
  synchronized int failed(List<Op> unwritten) {
    LinkedHashMap<Object, Op> merged = new LinkedHashMap<>();
    Set<String> deletedSince = new java.util.HashSet<>();
    for (Op op : pending.values()) {
      if (op instanceof RecordOp n && n.delete()) {
        deletedSince.add(n.anonymousId());
      }
    }
    for (Op op : unwritten) {
      if (op instanceof RecordOp r) {
        Op newer = pending.remove(r.anonymousId());
        if (newer instanceof RecordOp n) {
          // Newer data, but at the old position, and a delete that did not happen yet still does.
          merged.put(r.anonymousId(), new RecordOp(r.anonymousId(), n.record(), n.delete() || r.delete()));
        } else {
          merged.put(r.anonymousId(), r);
        }
      } else if (op instanceof LinkOp l) {
        LinkKey key = new LinkKey(l.fingerprint(), l.anonymousId());
        boolean superseded = pending.containsKey(key) || deletedSince.contains(l.anonymousId());
        if (!superseded) {
          merged.put(key, l);
        }
      }
    }
    merged.putAll(pending);
    pending = merged;
    inFlight.clear();
    return bound();
  }

  synchronized int size() {
    return pending.size();
  }

  synchronized boolean isEmpty() {
    return pending.isEmpty();
  }
}
