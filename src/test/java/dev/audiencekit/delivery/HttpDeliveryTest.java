package dev.audiencekit.delivery;

import static dev.audiencekit.delivery.Collector.dropConnection;
import static dev.audiencekit.delivery.Collector.status;
import static dev.audiencekit.delivery.Events.settings;
import static dev.audiencekit.delivery.Events.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  private final Metrics metrics = new Metrics();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private Collector collector;

  private Collector collector() throws Exception {
    collector = Collector.start();
    cleanup.add(collector);
    return collector;
  }

  private Delivery start(Tuning tuning, String... more) {
    List<String> pairs = new ArrayList<>(List.of("writeKey", "wk-123", "endpoint", collector.endpoint(),
        "flushIntervalMs", "20", "retry.maxBackoffMs", "100", "spool.dir", tmp.resolve("spool").toString()));
    pairs.addAll(List.of(more));
    Settings settings = settings(pairs.toArray(String[]::new));
    Delivery delivery = Delivery.start(settings, metrics, tmp, "http", tuning);
    cleanup.add(0, delivery);
    return delivery;
  }

  private Delivery start(String... more) {
    return start(Events.fast(), more);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private static Set<String> ids(int from, int to) {
    Set<String> ids = new HashSet<>();
    for (int i = from; i < to; i++) {
      ids.add("m-" + i);
    }
    return ids;
  }

  private static void send(Delivery delivery, int from, int to) {
    for (int i = from; i < to; i++) {
      delivery.accept(track("m-" + i));
    }
  }

  @Test
  void postsGzippedBatchWithBasicAuthUserAgentAndSentAt() throws Exception {
    collector();
    Delivery delivery = start();
    send(delivery, 0, 3);
    await().atMost(WAIT).until(() -> collector.delivered().size() == 3);
    Collector.Request request = collector.requests().get(0);
    assertThat(request.header("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("wk-123:".getBytes(StandardCharsets.UTF_8)));
    assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    assertThat(request.header("User-Agent")).startsWith("audiencekit-servlet/");
    assertThat(request.body().getString("sentAt")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(request.body().getJsonArray("batch").get(0).asJsonObject().getString("type")).isEqualTo("track");
    await().atMost(WAIT).until(() -> metrics.eventsDelivered.sum() == 3);
  }

  @Test
  void batchesCloseAtFlushAt() throws Exception {
    collector();
    Delivery delivery = start("flushAt", "10", "flushIntervalMs", "3600000");
    send(delivery, 0, 30);
    await().atMost(WAIT).until(() -> collector.delivered().size() == 30);
    assertThat(collector.requests()).allMatch(r -> r.body().getJsonArray("batch").size() == 10);
  }

  @Test
  void batchesNeverExceed2500EventsNor480KilobytesOfJson() throws Exception {
    collector();
    Delivery delivery = start("flushAt", "2500", "flushIntervalMs", "3600000", "queue.capacity", "20000");
    String padding = "x".repeat(1000);
    for (int i = 0; i < 3000; i++) {
      delivery.accept(track("m-" + i).replace("\"properties\":{}", "\"properties\":{\"p\":\"" + padding + "\"}"));
    }
    delivery.flush();
    await().atMost(WAIT).until(() -> collector.delivered().size() == 3000);
    for (Collector.Request r : collector.requests()) {
      assertThat(r.body().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(480 * 1024);
      assertThat(r.body().getJsonArray("batch").size()).isLessThanOrEqualTo(2500);
    }
    collector.requests().clear();
    for (int i = 0; i < 2600; i++) {
      delivery.accept(track("n-" + i));
    }
    delivery.flush();
    await().atMost(WAIT).until(() -> collector.delivered().size() == 5600);
    assertThat(collector.requests()).allMatch(r -> r.body().getJsonArray("batch").size() <= 2500);
  }

  @Test
  void serverErrorsAreRetriedUntilDelivered() throws Exception {
    collector().thenTimes(3, status(500));
    Delivery delivery = start();
    send(delivery, 0, 5);
    await().atMost(WAIT).until(() -> collector.delivered().equals(ids(0, 5)));
    assertThat(collector.requests()).extracting(Collector.Request::answeredStatus).containsSubsequence(500, 500, 500, 200);
    assertThat(metrics.eventsRetried.sum()).isGreaterThanOrEqualTo(15);
    await().atMost(WAIT).until(() -> metrics.eventsDelivered.sum() == 5);
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() throws Exception {
    collector().then(status(429, "Retry-After", "1"));
    Delivery delivery = start();
    send(delivery, 0, 1);
    await().atMost(WAIT).until(() -> collector.delivered().size() == 1);
    List<Collector.Request> requests = collector.requests();
    assertThat(requests).hasSize(2);
    long waited = requests.get(1).atNanos() - requests.get(0).atNanos();
    // the backoff alone would be at most 100 ms; only Retry-After explains a wait of about a second
    assertThat(TimeUnit.NANOSECONDS.toMillis(waited)).isGreaterThanOrEqualTo(900);
  }

  @Test
  void requestTimeoutIsRetried() throws Exception {
    collector().then(collector.hang());
    Delivery delivery = start("http.timeoutMs", "200");
    send(delivery, 0, 2);
    await().atMost(WAIT).until(() -> collector.delivered().equals(ids(0, 2)));
    assertThat(metrics.eventsRetried.sum()).isPositive();
    collector.release();
  }

  @Test
  void droppedConnectionAfterTheBodyIsRetried() throws Exception {
    collector().then(dropConnection(), dropConnection());
    Delivery delivery = start();
    send(delivery, 0, 4);
    await().atMost(WAIT).until(() -> collector.delivered().equals(ids(0, 4)));
    assertThat(metrics.eventsRetried.sum()).isPositive();
  }

  @Test
  void connectionRefusedIsRetriedUntilTheCollectorComesUp() throws Exception {
    int port = Collector.freePort();
    collector = Collector.startOn(port);
    cleanup.add(collector);
    collector.stop();
    Delivery delivery = start();
    send(delivery, 0, 50);
    await().atMost(WAIT).until(() -> metrics.eventsRetried.sum() > 0);
    collector.restart();
    await().atMost(WAIT).until(() -> collector.delivered().containsAll(ids(0, 50)));
  }

  @Test
  void badRequestAndPayloadTooLargeGoToTheDeadLetterFile() throws Exception {
    collector().then(status(400), status(413));
    Delivery delivery = start("flushAt", "2", "flushIntervalMs", "3600000");
    send(delivery, 0, 2);
    await().atMost(WAIT).until(() -> metrics.eventsDeadLettered.sum() == 2);
    send(delivery, 2, 4);
    await().atMost(WAIT).until(() -> metrics.eventsDeadLettered.sum() == 4);
    send(delivery, 4, 6);
    await().atMost(WAIT).until(() -> collector.delivered().equals(ids(4, 6)));
    Path deadLetters = tmp.resolve("spool").resolve(Spool.DEAD_LETTER_FILE);
    await().atMost(WAIT).until(() -> Files.exists(deadLetters) && Files.readAllLines(deadLetters).size() == 2);
    List<String> lines = Files.readAllLines(deadLetters, StandardCharsets.UTF_8);
    JsonObject first = Json.createReader(new StringReader(lines.get(0))).readObject();
    JsonObject second = Json.createReader(new StringReader(lines.get(1))).readObject();
    assertThat(List.of(first.getInt("status"), second.getInt("status"))).containsExactlyInAnyOrder(400, 413);
    assertThat(first.getString("response")).contains("planned");
    assertThat(first.getJsonArray("batch")).hasSize(2);
    assertThat(collector.requests()).hasSize(3); // refused batches are not retried
    assertThat(metrics.eventsRetried.sum()).isZero();
  }

  @Test
  void oneHangingBatchDoesNotHoldTheOthers() throws Exception {
    collector().then(collector.hang());
    Delivery delivery = start("flushAt", "1", "http.timeoutMs", "60000");
    send(delivery, 0, 1);
    await().atMost(WAIT).until(() -> collector.arrived() == 1); // m-0 is now held by the collector
    send(delivery, 1, 21);
    await().atMost(WAIT).until(() -> collector.delivered().containsAll(ids(1, 21)));
    assertThat(collector.delivered()).doesNotContain("m-0");
    collector.release();
    await().atMost(WAIT).until(() -> collector.delivered().contains("m-0"));
  }

  @Test
  void aLongOutageMovesBatchesToTheSpoolAndTheyAreDeliveredOnRecovery() throws Exception {
    collector().always(status(503));
    Tuning tuning = Events.fast();
    tuning.maxAttempts = 3;
    tuning.downAfterFailures = 3;
    Delivery delivery = start(tuning, "flushAt", "10");
    send(delivery, 0, 200);
    await().atMost(WAIT).until(() -> metrics.eventsSpooled.sum() >= 200);
    collector.always(null);
    await().atMost(WAIT).until(() -> collector.delivered().containsAll(ids(0, 200)));
    await().atMost(WAIT).until(() -> metrics.spoolBytes() == 0);
  }
}
