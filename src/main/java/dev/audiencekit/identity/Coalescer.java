package dev.audiencekit.identity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 4 of identity resolution: the parallel requests of a first page view (the HTML and its
 * assets, or several tabs) arrive without cookies at the same moment. The first one mints an id; the
 * others, from the same device fingerprint within {@link #WINDOW_MS}, get the same id until it comes
 * back in a cookie. Memory only, never persisted, bounded.
 */
public final class Coalescer {
  /** How long a freshly minted id is offered to cookieless requests of the same fingerprint. */
  public static final long WINDOW_MS = 5_000;
  static final int MAX_ENTRIES = 100_000;
  /** During a flood of new devices the maps are swept for stale entries at most this often. */
  static final long EVICTION_INTERVAL_MS = 500;

  private record Minted(String anonymousId, String fingerprint, long at) {}

  private final Map<String, Minted> byFingerprint = new ConcurrentHashMap<>();
  /** The same entries by id, so that an id coming back in a cookie needs no fingerprint to be computed. */
  private final Map<String, Minted> byId = new ConcurrentHashMap<>();
  private final AtomicLong lastEviction = new AtomicLong(Long.MIN_VALUE / 2);
  private final Clock clock;

  public Coalescer(Clock clock) {
    this.clock = clock;
  }

  /**
   * Atomically: the id minted for {@code fingerprint} in the last 5 seconds that has not come back yet,
   * or else {@code candidate}, which is then remembered as minted now. Parallel callers with the same
   * fingerprint all get the same id, whichever of them comes first.
   */
  public String claim(String fingerprint, String candidate) {
    long now = clock.millis();
    if (!hasRoom(now)) {
      String existing = recent(fingerprint);
      return existing != null ? existing : candidate; // a flood of new devices: stop growing
    }
    Minted result = byFingerprint.compute(fingerprint,
        (key, minted) -> minted != null && now - minted.at <= WINDOW_MS ? minted : new Minted(candidate, key, now));
    if (result.anonymousId == candidate) {
      byId.put(candidate, result);
    }
    return result.anonymousId;
  }

  /** The id came back in a cookie: the device has it, stop offering it. Cheap when nothing is pending. */
  public void cameBack(String anonymousId) {
    if (byId.isEmpty()) {
      return;
    }
    Minted minted = byId.remove(anonymousId);
    if (minted != null) {
      byFingerprint.remove(minted.fingerprint, minted);
    }
  }

  /** The id on offer for {@code fingerprint}, or null. */
  String recent(String fingerprint) {
    Minted minted = byFingerprint.get(fingerprint);
    return minted != null && clock.millis() - minted.at <= WINDOW_MS ? minted.anonymousId : null;
  }

  private boolean hasRoom(long now) {
    if (byFingerprint.size() < MAX_ENTRIES && byId.size() < MAX_ENTRIES) {
      return true;
    }
    // Sweeping is O(entries): once per interval, by one thread, not on every new visitor's request.
    long last = lastEviction.get();
    if (now - last >= EVICTION_INTERVAL_MS && lastEviction.compareAndSet(last, now)) {
      byFingerprint.values().removeIf(minted -> now - minted.at > WINDOW_MS);
      byId.values().removeIf(minted -> now - minted.at > WINDOW_MS);
    }
    return byFingerprint.size() < MAX_ENTRIES && byId.size() < MAX_ENTRIES;
  }

  int size() {
    return byId.size();
  }
}
