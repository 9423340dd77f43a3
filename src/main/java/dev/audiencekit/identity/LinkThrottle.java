package dev.audiencekit.identity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one throttle of fingerprint link writes: a pair of (device signals, anonymousId) is linked at most
 * once per {@link #INTERVAL_MS} from this node. Keyed by a cheap hash of the raw signals the fingerprint
 * is made of, so a returning visitor whose link is not due costs no HMAC and no store call, while a
 * phone that moves from home Wi-Fi to its carrier is linked on both networks at once. A collision of
 * the cheap hash only delays one link refresh.
 */
public final class LinkThrottle {
  /** How often a (device, id) pair is linked again from one node. */
  public static final long INTERVAL_MS = 10 * 60_000;
  static final int MAX_ENTRIES = 200_000;

  /**
   * A hand-written key: a record's {@code equals}/{@code hashCode} go through an {@code invokedynamic}
   * bootstrap that showed as a third of this throttle's time on every returning request.
   */
  private static final class Key {
    private final String anonymousId;
    private final long signals;

    Key(String anonymousId, long signals) {
      this.anonymousId = anonymousId;
      this.signals = signals;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key other && other.signals == signals && other.anonymousId.equals(anonymousId);
    }

    @Override
    public int hashCode() {
      return anonymousId.hashCode() * 31 + Long.hashCode(signals);
    }
  }

  private final Map<Key, Long> linkedAt = new ConcurrentHashMap<>();
  private final Clock clock;

  public LinkThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Whether the link of {@code anonymousId} under these signals is due now; if so, it is noted as done. */
  public boolean due(String anonymousId, long signals) {
    long now = clock.millis();
    Key key = new Key(anonymousId, signals);
    Long last = linkedAt.get(key);
    if (last != null && now - last < INTERVAL_MS && now >= last) {
      return false;
    }
    if (linkedAt.size() >= MAX_ENTRIES) {
      linkedAt.clear(); // bounded: forgetting only means one extra link per visitor
    }
    linkedAt.put(key, now);
    return true;
  }

  /**
   * A 64-bit hash of raw signal strings (null allowed); equal inputs give equal hashes. Not a
   * fingerprint: it never leaves this node's memory.
   */
  public static long signals(String... parts) {
    long h = 0xcbf29ce484222325L;
    for (String p : parts) {
      if (p != null) {
        for (int i = 0; i < p.length(); i++) {
          h = (h ^ p.charAt(i)) * 0x100000001b3L;
        }
      }
      h = (h ^ 0x1f) * 0x100000001b3L;
    }
    return h;
  }
}
