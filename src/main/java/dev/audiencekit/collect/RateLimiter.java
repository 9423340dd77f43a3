package dev.audiencekit.collect;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Events per client address per minute, as a token bucket: an address may send up to {@code max}
 * events at once, and its budget refills continuously at {@code max} per minute (a sliding window, not
 * a calendar minute that resets). Implemented as the generic cell rate algorithm: one "theoretical
 * arrival time" per address, which is what the bucket would need to be full again.
 *
 * <p>Memory is fixed whatever the number of addresses: a table of {@value #SLOTS} slots, each holding
 * an address hash (keyed with a random per-instance seed, so a client cannot aim at another address's
 * slot) and its arrival time. A slot whose bucket has refilled belongs to the next address that hashes
 * to it; an address that lands on a slot another address is still using shares that address's budget,
 * which makes the limit stricter for both, never looser.
 */
final class RateLimiter {
  static final int SLOTS = 1 << 16;
  private static final int LOCKS = 64;
  static final long WINDOW_NANOS = 60_000_000_000L;

  private final Clock clock;
  /** Nanoseconds of budget one event uses. */
  private final long interval;
  /** How far ahead of now the arrival time may run: the bucket's size. */
  private final long burst;
  private final long seed = new SecureRandom().nextLong();
  private final long[] keys = new long[SLOTS];
  private final long[] arrivals = new long[SLOTS];
  private final Object[] locks = new Object[LOCKS];

  RateLimiter(int maxEventsPerMinute, Clock clock) {
    if (maxEventsPerMinute < 1) {
      throw new IllegalArgumentException("maxEventsPerMinute must be at least 1");
    }
    this.clock = clock;
    this.interval = WINDOW_NANOS / maxEventsPerMinute;
    this.burst = interval * maxEventsPerMinute;
    for (int i = 0; i < LOCKS; i++) {
      locks[i] = new Object();
    }
  }

  /**
   * Takes {@code events} from {@code address}'s budget when it holds that many.
   *
   * @return 0 when taken, else how many nanoseconds until the budget would hold them (nothing taken)
   */
  long acquire(String address, int events) {
    return take(address, events, true);
  }

  /** Like {@link #acquire} for one event, without taking it: whether the address has any budget left. */
  long peek(String address) {
    return take(address, 1, false);
  }

  private long take(String address, int events, boolean consume) {
    long key = hash(address);
    int slot = (int) (key ^ (key >>> 32)) & (SLOTS - 1);
    long now = clock.millis() * 1_000_000L;
    synchronized (locks[slot & (LOCKS - 1)]) {
      long arrival = arrivals[slot];
      if (keys[slot] != key && arrival <= now) {
        keys[slot] = key; // the previous owner's bucket is full again: it needs no slot
        arrival = now;
      }
      long next = Math.max(arrival, now) + events * interval;
      long ahead = next - now;
      if (ahead > burst) {
        return ahead - burst;
      }
      if (consume) {
        arrivals[slot] = next;
      }
      return 0;
    }
  }

  /** A keyed 64-bit hash (FNV-1a, then a finalising mix), never 0 so that 0 marks a free slot. */
  private long hash(String address) {
    long h = seed ^ 0xcbf29ce484222325L;
    for (int i = 0; i < address.length(); i++) {
      h = (h ^ address.charAt(i)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** Whole seconds to wait for {@code nanos}, at least 1: the value of {@code Retry-After}. */
  static long retryAfterSeconds(long nanos) {
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
