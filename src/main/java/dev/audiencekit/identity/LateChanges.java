package dev.audiencekit.identity;

import dev.audiencekit.store.Successor;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identity changes made after a response had committed, waiting for that browser's next request
 * ("identity changes are never silently lost"). Keyed by the anonymousId the browser still holds, and
 * applied only to the browser that made the change (the one with the same device key): anyone can
 * present an anonymousId, and following another browser's change would hand over its identity. The
 * same successor is also written to the mirror record, so it survives this map's bound.
 */
public final class LateChanges {
  private static final int MAX_ENTRIES = 100_000;

  private record Change(Successor successor, String ownerHash) {}

  private final Map<String, Change> pending = new ConcurrentHashMap<>();

  /** Records that the browser with {@code ownerHash} presenting {@code presented} moves to {@code successor}. */
  public void put(String presented, Successor successor, String ownerHash) {
    if (pending.size() >= MAX_ENTRIES) {
      Iterator<String> it = pending.keySet().iterator();
      if (it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    pending.put(presented, new Change(successor, ownerHash));
  }

  /**
   * Takes the successor for {@code presented} when the browser with {@code deviceKey} made it, or null;
   * a change is applied once, and another browser's request leaves it waiting.
   */
  public Successor take(String presented, DeviceKey deviceKey) {
    if (pending.isEmpty() || deviceKey == null) {
      return null;
    }
    Change change = pending.get(presented);
    if (change == null || !change.ownerHash.equals(deviceKey.hash()) || !pending.remove(presented, change)) {
      return null;
    }
    return change.successor;
  }
}
