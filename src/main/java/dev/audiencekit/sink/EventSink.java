package dev.audiencekit.sink;

import java.util.List;

/**
 * Where events go. The delivery thread hands a sink batches of events, each event the exact JSON text
 * (one object, Segment spec) that a collector would receive in {@code /v1/batch}.
 *
 * <p>Called from delivery threads only, never from a request thread. Throwing from {@link #deliver}
 * means the batch was not delivered: it is retried or spooled, never silently lost. Throw a
 * {@link SinkException} to say more: {@link SinkException#rejected} sends the batch to the dead-letter
 * file instead of retrying it, and {@link SinkException#retryAfter} delays the next attempt.
 *
 * <p>A sink whose {@link #maxConcurrency()} is above 1 receives up to that many batches at once, from
 * different threads, and must be thread-safe; otherwise calls never overlap.
 *
 * <p>A class named in the {@code sink} init-param must implement this interface and have a public
 * constructor taking {@code (dev.audiencekit.config.Settings)} or no arguments.
 */
public interface EventSink extends AutoCloseable {

  /** Delivers {@code events} (JSON objects as text), in order. */
  void deliver(List<String> events) throws Exception;

  /** How many batches may be handed to {@link #deliver} at the same time (default 1). */
  default int maxConcurrency() {
    return 1;
  }

  /** Makes what was delivered durable (e.g. flushes a file). Called at least every flush interval. */
  default void flush() throws Exception {}

  @Override
  default void close() throws Exception {}
}
