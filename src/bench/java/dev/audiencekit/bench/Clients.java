package dev.audiencekit.bench;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import dev.audiencekit.config.Settings;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.metrics.Metrics;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** The two clients under test, set up the same way: loopback collector, 100 events per batch. */
final class Clients {
  static final int FLUSH_AT = 100;
  private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

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

  /**
   * What the filter does per event: build the Segment JSON (type, messageId, timestamp, ids,
   * properties, context.library) with JSON-P, as text.
   */
  static String buildEvent(long n, String anonymousId) {
    JsonObjectBuilder properties = JSON.createObjectBuilder().add("plan", "pro").add("n", n);
    JsonObjectBuilder context = JSON.createObjectBuilder()
        .add("library", JSON.createObjectBuilder().add("name", "audiencekit-servlet").add("version", "bench"));
    return JSON.createObjectBuilder()
        .add("type", "track")
        .add("messageId", "ak-" + System.currentTimeMillis() + "-" + UUID.randomUUID())
        .add("timestamp", ISO.format(Instant.now()))
        .add("anonymousId", anonymousId)
        .addNull("userId")
        .add("event", "Order Completed")
        .add("properties", properties)
        .add("context", context)
        .build()
        .toString();
  }

  /** The equivalent analytics-java call. */
  static void enqueue(Analytics analytics, long n, String anonymousId) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("plan", "pro");
    properties.put("n", n);
    analytics.enqueue(TrackMessage.builder("Order Completed").anonymousId(anonymousId).properties(properties));
  }
}
