package dev.audiencekit.store;

import dev.audiencekit.metrics.Metrics;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How the store is doing, for a {@link Mirror}: counts every failure in {@code metrics.storeErrors},
 * logs at most one WARN per {@link #WARN_INTERVAL} (with the number of failures since the last one)
 * and, after a failure period that was reported, one INFO when the store works again (so a flapping
 * store writes at most two lines per interval), and, after a failure, tells reads to fail fast for a short
 * while instead of each waiting for {@code store.timeoutMs}. Thread-safe; never throws.
 */
final class StoreHealth {
  static final Duration WARN_INTERVAL = Duration.ofSeconds(30);

  private final Logger log;
  private final Metrics metrics;
  private final Clock clock;
  private final long failFastNanos;
  private volatile boolean failing;
  private volatile long failFastUntil;
  private Instant lastWarn;
  private long sinceLastWarn;
  private long sinceFailing;
  private boolean warnedThisPeriod;

  StoreHealth(Logger log, Metrics metrics, Clock clock, Duration failFast) {
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
    this.failFastNanos = failFast.toNanos();
  }

  /** Counts and (rate-limited) logs one failure of {@code what}. */
  void failure(String what, Throwable cause) {
    metrics.storeErrors.increment();
    failFastUntil = System.nanoTime() + failFastNanos;
    String message = null;
    synchronized (this) {
      failing = true;
      sinceLastWarn++;
      sinceFailing++;
      Instant now = clock.instant();
      if (lastWarn == null || !now.isBefore(lastWarn.plus(WARN_INTERVAL))) {
        message = "audiencekit store: " + what + " failed: " + describe(cause)
            + "; requests carry on with cookies alone (fail open)"
            + (sinceLastWarn > 1 ? "; " + (sinceLastWarn - 1) + " more failures since the last report" : "")
            + "; next report in " + WARN_INTERVAL.toSeconds() + " s at the earliest";
        lastWarn = now;
        sinceLastWarn = 0;
        warnedThisPeriod = true;
      }
    }
    if (message != null) {
      log.log(Level.WARNING, message);
      log.log(Level.DEBUG, "audiencekit store failure detail", cause);
    }
  }

  /** Counts a call that was not tried because the store failed a moment ago. */
  void skipped() {
    metrics.storeErrors.increment();
    synchronized (this) {
      sinceLastWarn++;
      sinceFailing++;
    }
  }

  /** A call succeeded: ends a failure period (one INFO line) and fail-fast. */
  void success() {
    if (!failing) {
      return;
    }
    long failures;
    boolean report;
    synchronized (this) {
      if (!failing) {
        return;
      }
      failing = false;
      failures = sinceFailing;
      sinceFailing = 0;
      report = warnedThisPeriod; // a period whose WARN was suppressed ends silently too
      warnedThisPeriod = false;
    }
    failFastUntil = 0;
    if (report) {
      log.log(Level.INFO, "audiencekit store: works again after " + failures + " failed or skipped calls");
    }
  }

  /** True while reads should not even try (shortly after a failure). */
  boolean failFast() {
    long until = failFastUntil;
    return until != 0 && System.nanoTime() - until < 0;
  }

  boolean isFailing() {
    return failing;
  }

  /** The innermost cause, which names the real problem (the wrappers only repeat the operation). */
  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
