package dev.audiencekit.identity;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Step 4 of identity resolution: the parallel requests of a first page view (the HTML and its
 * assets, or several tabs) arrive without cookies at the same moment. The first one mints an id; the
 * others, from the same device fingerprint within {@link #WINDOW_MS}, reuse it until that id comes
 * back in a cookie. Memory only, never persisted.
 */
public final class Coalescer {
  /** How long a freshly minted id is offered to cookieless requests of the same fingerprint. */
  public static final long WINDOW_MS = 5_000;
  private static final int MAX_ENTRIES = 100_000;

  private record Minted(String anonymousId, long at) {}

  /** The shortest time between two full scans for expired entries when the map is full. */
  static final long EVICTION_INTERVAL_MS = 500;

  private final Map<String, Minted> recent = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong lastEviction = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);
  private final Clock clock;

  public Coalescer(Clock clock) {
    this.clock = clock;
  }

  /** The id minted for {@code fingerprint} in the last 5 seconds that has not come back yet, or null. */
  public String recent(String fingerprint) {
    Minted minted = recent.get(fingerprint);
    if (minted == null) {
      return null;
    }
    if (clock.millis() - minted.at > WINDOW_MS) {
      recent.remove(fingerprint, minted);
      return null;
    }
    return minted.anonymousId;
  }

  /**
   * Atomically: the id minted for {@code fingerprint} in the last 5 seconds that has not come back yet,
   * or else {@code candidate}, which is then remembered as minted now. Parallel callers with the same
   * fingerprint all get the same id, whichever of them comes first ({@link #recent} followed by
   * {@link #minted} is a check-then-act race: two requests can both find nothing and mint two ids).
   */
  public String claim(String fingerprint, String candidate) {
    long now = clock.millis();
    if (recent.size() >= MAX_ENTRIES) {
      evictExpired();
      if (recent.size() >= MAX_ENTRIES) {
        String existing = recent(fingerprint);
        return existing != null ? existing : candidate; // a flood of new devices: do not grow
      }
    }
    return recent.compute(fingerprint,
        (key, minted) -> minted != null && now - minted.at <= WINDOW_MS ? minted : new Minted(candidate, now))
        .anonymousId;
  }

  /** Remembers that {@code anonymousId} was just minted for a request with {@code fingerprint}. */
  public void minted(String fingerprint, String anonymousId) {
    if (recent.size() >= MAX_ENTRIES) {
      // A flood of new devices. Scanning the full map costs O(entries); doing it on every mint made each
      // new visitor's request scan 100,000 entries while the flood lasted. Scan at most once per
      // EVICTION_INTERVAL_MS (one thread at a time), and meanwhile stop coalescing rather than grow.
      long now = clock.millis();
      long last = lastEviction.get();
      if (now - last >= EVICTION_INTERVAL_MS && lastEviction.compareAndSet(last, now)) {
        evictExpired();
      }
      if (recent.size() >= MAX_ENTRIES) {
        return;
      }
    }
    recent.put(fingerprint, new Minted(anonymousId, clock.millis()));
  }

  /** The id came back in a cookie: the device has it, stop offering it. */
  public void cameBack(String fingerprint, String anonymousId) {
    Minted minted = recent.get(fingerprint);
    if (minted != null && minted.anonymousId.equals(anonymousId)) {
      recent.remove(fingerprint, minted);
    }
  }

  private void evictExpired() {
    long now = clock.millis();
    for (Iterator<Minted> it = recent.values().iterator(); it.hasNext(); ) {
      if (now - it.next().at > WINDOW_MS) {
        it.remove();
      }
    }
  }

  int size() {
    return recent.size();
  }
}
