package dev.audiencekit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }

  private final ManualClock clock = new ManualClock();

  @Test
  void anAddressMaySendItsWholeBudgetAtOnce() {
    RateLimiter limiter = new RateLimiter(600, clock);
    assertThat(limiter.acquire("192.0.2.1", 500)).isZero();
    assertThat(limiter.acquire("192.0.2.1", 100)).isZero();
    assertThat(limiter.acquire("192.0.2.1", 1)).isPositive();
  }

  @Test
  void theBudgetRefillsContinuouslyNotPerCalendarMinute() {
    RateLimiter limiter = new RateLimiter(600, clock);
    assertThat(limiter.acquire("192.0.2.1", 600)).isZero();
    clock.advance(Duration.ofMillis(99));
    assertThat(limiter.acquire("192.0.2.1", 1)).isPositive();
    clock.advance(Duration.ofMillis(1)); // 600 a minute: one event back every 100 ms
    assertThat(limiter.acquire("192.0.2.1", 1)).isZero();
    assertThat(limiter.acquire("192.0.2.1", 1)).isPositive();
    clock.advance(Duration.ofSeconds(30));
    assertThat(limiter.acquire("192.0.2.1", 300)).isZero();
    assertThat(limiter.acquire("192.0.2.1", 1)).isPositive();
  }

  @Test
  void aRefusedRequestTakesNothingAndSaysHowLongToWait() {
    RateLimiter limiter = new RateLimiter(60, clock);
    assertThat(limiter.acquire("192.0.2.1", 50)).isZero();
    long wait = limiter.acquire("192.0.2.1", 20);
    assertThat(wait).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(RateLimiter.retryAfterSeconds(wait)).isEqualTo(10);
    assertThat(limiter.acquire("192.0.2.1", 10)).isZero();
  }

  @Test
  void peekTakesNothing() {
    RateLimiter limiter = new RateLimiter(1, clock);
    assertThat(limiter.peek("192.0.2.1")).isZero();
    assertThat(limiter.peek("192.0.2.1")).isZero();
    assertThat(limiter.acquire("192.0.2.1", 1)).isZero();
    assertThat(limiter.peek("192.0.2.1")).isPositive();
  }

  @Test
  void addressesHaveTheirOwnBudgets() {
    RateLimiter limiter = new RateLimiter(10, clock);
    assertThat(limiter.acquire("192.0.2.1", 10)).isZero();
    assertThat(limiter.acquire("192.0.2.2", 10)).isZero();
    assertThat(limiter.acquire("2001:db8::1", 10)).isZero();
    assertThat(limiter.acquire("192.0.2.1", 1)).isPositive();
  }

  @Test
  void aFloodOfAddressesNeverLoosensTheLimitOfOne() {
    RateLimiter limiter = new RateLimiter(10, clock);
    assertThat(limiter.acquire("198.51.100.7", 10)).isZero();
    for (int i = 0; i < 4 * RateLimiter.SLOTS; i++) {
      limiter.acquire("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), 1);
    }
    assertThat(limiter.acquire("198.51.100.7", 1)).isPositive();
  }

  @Test
  void retryAfterIsAtLeastOneWholeSecond() {
    assertThat(RateLimiter.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(RateLimiter.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
  }
}
