package dev.audiencekit.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingDoublesFromTheBaseUpToTheCap() {
    Backoff backoff = new Backoff(100, 1_000, () -> 0.5);
    assertThat(backoff.ceilingMs(1)).isEqualTo(100);
    assertThat(backoff.ceilingMs(2)).isEqualTo(200);
    assertThat(backoff.ceilingMs(4)).isEqualTo(800);
    assertThat(backoff.ceilingMs(5)).isEqualTo(1_000);
    assertThat(backoff.ceilingMs(500)).isEqualTo(1_000);
  }

  @Test
  void fullJitterSpansZeroToTheCeiling() {
    assertThat(new Backoff(100, 60_000, () -> 0.0).delayMs(3)).isZero();
    assertThat(new Backoff(100, 60_000, () -> 0.999).delayMs(3)).isEqualTo(399);
    assertThat(new Backoff(100, 60_000, () -> 0.5).delayMs(20)).isEqualTo(30_000);
  }
}
