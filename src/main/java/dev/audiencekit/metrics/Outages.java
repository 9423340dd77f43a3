package dev.audiencekit.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limited logging of trouble: at most one WARN per kind of problem per interval (with the number
 * of similar problems left unlogged), and one INFO when a kind that was in trouble recovers. The one
 * home of such logging (delivery outages, failing user plugins); thread-safe, never throws.
 */
public final class Outages {
  private final Logger log;
  private final Clock clock;
  private final long intervalMs;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  private static final class State {
    long lastLoggedMs = Long.MIN_VALUE;
    long suppressed;
  }

  public Outages(Logger log, Clock clock, long intervalMs) {
    this.log = log;
    this.clock = clock;
    this.intervalMs = intervalMs;
  }

  /** Logs {@code message} at WARN unless this kind was logged less than an interval ago. */
  public void warn(String kind, String message, Throwable cause) {
    warn(kind, intervalMs, message, cause);
  }

  /** Logs {@code message} at WARN unless this kind was logged less than {@code interval} ms ago. */
  public void warn(String kind, long interval, String message, Throwable cause) {
    State state = states.computeIfAbsent(kind, k -> new State());
    long now = clock.millis();
    long suppressed;
    synchronized (state) {
      if (state.lastLoggedMs != Long.MIN_VALUE && now - state.lastLoggedMs < interval) {
        state.suppressed++;
        return;
      }
      suppressed = state.suppressed;
      state.suppressed = 0;
      state.lastLoggedMs = now;
    }
    String text = suppressed == 0 ? message
        : message + " (" + suppressed + " similar problems since the last report)";
    if (cause != null && log.isLoggable(Level.DEBUG)) {
      log.log(Level.WARNING, text, cause);
    } else {
      log.log(Level.WARNING, cause == null ? text : text + ": " + describe(cause));
    }
  }

  /** Logs one INFO if {@code kind} had been warned about; later calls are silent until the next WARN. */
  public void recovered(String kind, String message) {
    if (states.isEmpty()) {
      return;
    }
    State state = states.remove(kind);
    if (state != null) {
      log.log(Level.INFO, message);
    }
  }

  /** {@code SimpleName: message} of a throwable, for one-line logs. */
  public static String describe(Throwable t) {
    String text = t.getClass().getSimpleName();
    return t.getMessage() == null ? text : text + ": " + t.getMessage();
  }
}
