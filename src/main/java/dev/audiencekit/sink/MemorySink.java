package dev.audiencekit.sink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** {@code sink=memory}: keeps the latest {@value #CAPACITY} events for inspection. Thread-safe. */
public final class MemorySink implements EventSink {
  public static final int CAPACITY = 1000;

  private final ArrayDeque<String> events = new ArrayDeque<>(CAPACITY);

  @Override
  public synchronized void deliver(List<String> batch) {
    for (String event : batch) {
      if (events.size() == CAPACITY) {
        events.removeFirst();
      }
      events.addLast(event);
    }
  }

  /** A copy of the kept events, oldest first and newest last. */
  public synchronized List<String> recent() {
    return new ArrayList<>(events);
  }

  /** Forgets every kept event. */
  public synchronized void clear() {
    events.clear();
  }
}
