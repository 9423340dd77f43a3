package dev.audiencekit.delivery;

import java.util.function.DoubleSupplier;

/** Capped exponential backoff with full jitter: a uniform delay in [0, min(cap, base × 2^(n-1))). */
final class Backoff {
  private final long baseMs;
  private final long capMs;
  private final DoubleSupplier random;

  Backoff(long baseMs, long capMs, DoubleSupplier random) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.random = random;
  }

  /** The ceiling of the delay before attempt {@code failures + 1}, after {@code failures} ≥ 1 failures. */
  long ceilingMs(int failures) {
    int shift = Math.max(0, Math.min(failures - 1, 40));
    long ceiling = baseMs << shift;
    return ceiling <= 0 || ceiling > capMs ? capMs : ceiling;
  }

  /** A random delay in [0, ceiling) after {@code failures} failures. */
  long delayMs(int failures) {
    return (long) (random.getAsDouble() * ceilingMs(failures));
  }
}
