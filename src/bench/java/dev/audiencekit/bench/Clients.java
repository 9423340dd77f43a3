package dev.audiencekit.bench;

import dev.audiencekit.Options;
import dev.audiencekit.event.EventFactory;
import dev.audiencekit.event.JsonValues;
import dev.audiencekit.event.RequestContext;
import java.time.Clock;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import dev.audiencekit.config.Settings;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.metrics.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The two clients under test, set up the same way: loopback collector, 100 events per batch. */
final class Clients {
  static final int FLUSH_AT = 100;

  private Clients() {}

  static Delivery audiencekit(LoopbackCollector collector, int queueCapacity) throws Exception {
    Path spool = Files.createTempDirectory("audiencekit-bench");
    Map<String, String> params = new HashMap<>();
    params.put(Settings.WRITE_KEY, "bench-key");
    params.put(Settings.ENDPOINT, collector.baseUrl() + "/v1");
    params.put(Settings.FLUSH_AT, String.valueOf(FLUSH_AT));
    params.put(Settings.QUEUE_CAPACITY, String.valueOf(queueCapacity));
    params.put(Settings.SPOOL_DIR, spool.toString());
    return Delivery.start(Settings.of(params), new Metrics(), spool, "bench");
  }

  static Analytics analyticsJava(LoopbackCollector collector) {
    return Analytics.builder("bench-key")
        .endpoint(collector.baseUrl())
        .flushQueueSize(FLUSH_AT)
        .flushInterval(5, TimeUnit.SECONDS)
        .build();
  }

  private static final EventFactory EVENTS = new EventFactory(Clock.systemUTC(), "bench");
  private static final RequestContext REQUEST = new RequestContext("203.0.113.7",
      "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36", "en-GB", "/checkout",
      "https://shop.example.com/checkout", null, "https://shop.example.com/cart");

  /**
   * The event the filter builds for {@code analytics.track("Order Completed", props)}: the real
   * {@link EventFactory}, with the request's context (ip, userAgent, locale, page, library).
   */
  static String buildEvent(long n, String anonymousId) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("plan", "pro");
    properties.put("n", n);
    return EVENTS.track(new EventFactory.Ids(anonymousId, null), "Order Completed",
        JsonValues.object("properties", properties), REQUEST, Options.create());
  }

  /** The equivalent analytics-java call. */
  static void enqueue(Analytics analytics, long n, String anonymousId) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("plan", "pro");
    properties.put("n", n);
    analytics.enqueue(TrackMessage.builder("Order Completed").anonymousId(anonymousId).properties(properties));
  }
}
