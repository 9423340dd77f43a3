package dev.audiencekit.demo;

import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The events analytics.js sent from the browser to the demo's loopback collector, newest last,
 * bounded. One per web application, kept as a servlet-context attribute.
 */
public final class BrowserEvents {
  static final String ATTRIBUTE = BrowserEvents.class.getName();
  private static final int CAPACITY = 500;

  private final Deque<JsonObject> events = new ArrayDeque<>();

  /** The web application's instance, created on first use. */
  public static BrowserEvents of(ServletContext context) {
    synchronized (context) {
      BrowserEvents events = (BrowserEvents) context.getAttribute(ATTRIBUTE);
      if (events == null) {
        events = new BrowserEvents();
        context.setAttribute(ATTRIBUTE, events);
      }
      return events;
    }
  }

  public synchronized void add(JsonObject event) {
    if (events.size() == CAPACITY) {
      events.removeFirst();
    }
    events.addLast(event);
  }

  /** A copy, oldest first. */
  public synchronized List<JsonObject> all() {
    return new ArrayList<>(events);
  }
}
