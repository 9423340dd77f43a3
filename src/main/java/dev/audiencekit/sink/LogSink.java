package dev.audiencekit.sink;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/** {@code sink=log}: one INFO line per event through the {@code dev.audiencekit.events} logger. */
public final class LogSink implements EventSink {
  /** The logger name, so applications can route events to their own log file. */
  public static final String LOGGER_NAME = "dev.audiencekit.events";

  private final Logger logger;

  public LogSink() {
    this(System.getLogger(LOGGER_NAME));
  }

  LogSink(Logger logger) {
    this.logger = logger;
  }

  @Override
  public void deliver(List<String> events) {
    if (!logger.isLoggable(Level.INFO)) {
      return;
    }
    for (String event : events) {
      logger.log(Level.INFO, event);
    }
  }
}
