package dev.audiencekit.delivery;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Internal knobs of delivery that are not init-params: fixed in production, changed by tests (time,
 * randomness and thresholds) so that retries and outages can be exercised quickly and deterministically.
 */
final class Tuning {
  Clock clock = Clock.systemUTC();
  /** Uniform random numbers in [0, 1) for the full jitter. */
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  /** Base of the exponential backoff (SPEC §3: 100 ms). */
  long backoffBaseMs = 100;
  /**
   * Attempts of one batch in memory before it is moved to the spool (where it is retried further).
   * Small on purpose: a batch that fails a few times is safer on disk than in memory.
   */
  int maxAttempts = 4;
  /** Consecutive failed attempts after which a sink counts as down: new batches go straight to disk. */
  int downAfterFailures = 4;
  /** Batches held by one sink (in flight or waiting for a retry) per unit of its concurrency. */
  int pendingPerConcurrency = 4;
  /** Longest {@code Retry-After} obeyed; a larger value is cut to this. */
  long retryAfterCapMs = 300_000;
  /** At most one WARN per kind of outage in this interval. */
  long outageLogIntervalMs = 30_000;
  /** At most one WARN per sink and status for batches the collector refuses, in this interval. */
  long rejectionLogIntervalMs = 60_000;
  /** Size at which a spool segment file is closed and a new one started. */
  long segmentBytes = 8L * 1024 * 1024;
  /** Events held for the spool writer (overflow of the memory queue) before they are dropped. */
  int spoolBufferEvents = 16_384;
  /** Batches held for the spool writer before the caller waits. */
  int spoolBufferBatches = 256;
  /** While a sink is down, events are batched for the spool at least this often. */
  long outageLingerMs = 100;

  static Tuning defaults() {
    return new Tuning();
  }
}
