package dev.audiencekit.identity;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identity changes made after a response had committed, waiting for the browser's next request
 * (SPEC §5: "Identity changes are never silently lost"). Keyed by the anonymousId the browser still
 * holds; the value is the successor: an anonymousId whose mirror record is authoritative, or
 * {@code ""} for a reset. The same successor is also written to the mirror record, so it survives
 * this map's bound.
 */
public final class LateChanges {
  private static final int MAX_ENTRIES = 100_000;
  private final Map<String, String> pending = new ConcurrentHashMap<>();

  /** Records that a browser presenting {@code presented} must be moved to {@code successor}. */
  public void put(String presented, String successor) {
    if (pending.size() >= MAX_ENTRIES) {
      Iterator<String> it = pending.keySet().iterator();
      if (it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    pending.put(presented, successor);
  }

  /** Takes the successor for {@code presented}, or null; a change is applied once. */
  public String take(String presented) {
    return pending.isEmpty() ? null : pending.remove(presented);
  }

}
