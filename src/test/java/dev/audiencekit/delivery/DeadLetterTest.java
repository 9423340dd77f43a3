package dev.audiencekit.delivery;

import static dev.audiencekit.delivery.Collector.status;
import static dev.audiencekit.delivery.Events.settings;
import static dev.audiencekit.delivery.Events.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import jakarta.json.Json;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches the collector refuses (a revoked write key answers 401 to every one): kept in
 * {@code dead-letter.jsonl} within a bound, every one that does not fit counted, and logged without
 * the events, at most once per interval and reason.
 */
class DeadLetterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long MAX_BYTES = 64 * 1024;
  /** A property value that marks event data: it must never reach a log line. */
  private static final String PERSONAL = "jane.doe@example.com";

  @TempDir Path tmp;
  private final Metrics metrics = new Metrics();
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Collector collector;

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("dev.audiencekit.delivery").addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    Logger.getLogger("dev.audiencekit.delivery").removeHandler(capture);
  }

  private Delivery start(Tuning tuning, String... more) throws Exception {
    collector = Collector.start();
    cleanup.add(collector);
    List<String> pairs = new ArrayList<>(List.of("writeKey", "wk-revoked", "endpoint", collector.endpoint(),
        "flushIntervalMs", "20", "flushAt", "10", "spool.dir", tmp.resolve("spool").toString(),
        "spool.maxBytes", String.valueOf(MAX_BYTES)));
    pairs.addAll(List.of(more));
    Settings settings = settings(pairs.toArray(String[]::new));
    Delivery delivery = Delivery.start(settings, metrics, tmp, "dead", tuning);
    cleanup.add(0, delivery);
    return delivery;
  }

  private static String personalEvent(int i) {
    return track("m-" + i).replace("\"properties\":{}", "\"properties\":{\"email\":\"" + PERSONAL + "\"}");
  }

  private Path deadLetters() {
    return tmp.resolve("spool").resolve(Spool.DEAD_LETTER_FILE);
  }

  /** Events kept in the dead-letter file. */
  private long eventsInDeadLetters() throws Exception {
    if (!Files.exists(deadLetters())) {
      return 0;
    }
    long events = 0;
    for (String line : Files.readAllLines(deadLetters(), StandardCharsets.UTF_8)) {
      events += Json.createReader(new StringReader(line)).readObject().getJsonArray("batch").size();
    }
    return events;
  }

  private long droppedAsFull() {
    return metrics.droppedByReason().getOrDefault("dead-letter-full", 0L);
  }

  @Test
  void revokedWriteKeyCannotFillTheDisk() throws Exception {
    Delivery delivery = start(Events.fast(), "spool.maxBytes", String.valueOf(4 * MAX_BYTES));
    collector.always(status(401));
    int sent = 0;
    for (int round = 0; round < 30; round++) { // steady traffic: about 780 KB of dead letters without a bound
      for (int i = 0; i < 100; i++) {
        delivery.accept(personalEvent(sent++));
      }
      int expected = sent;
      await().atMost(WAIT).until(() -> metrics.eventsDeadLettered.sum() == expected);
    }
    int total = sent;

    await().atMost(WAIT).until(() -> eventsInDeadLetters() + droppedAsFull() == total);
    assertThat(eventsInDeadLetters()).isPositive();
    assertThat(Files.size(deadLetters())).isLessThanOrEqualTo(Spool.deadLetterBound(4 * MAX_BYTES));
    assertThat(droppedAsFull()).isPositive();
    assertThat(metrics.droppedTotal()).isEqualTo(droppedAsFull());
  }

  @Test
  void deadLettersCountAgainstTheSpoolBound() throws Exception {
    Delivery delivery = start(Events.fast());
    collector.always(status(401));
    for (int i = 0; i < 20; i++) {
      delivery.accept(personalEvent(i));
    }

    await().atMost(WAIT).until(() -> eventsInDeadLetters() == 20);
    await().atMost(WAIT).until(() -> metrics.spoolBytes() == Files.size(deadLetters()));
  }

  @Test
  void deadLettersOfAnEarlierRunCountAgainstTheBound() throws Exception {
    Files.createDirectories(deadLetters().getParent());
    Files.writeString(deadLetters(), "x".repeat((int) Spool.deadLetterBound(MAX_BYTES)) + "\n");
    Delivery delivery = start(Events.fast());
    collector.always(status(401));
    for (int i = 0; i < 10; i++) {
      delivery.accept(personalEvent(i));
    }

    await().atMost(WAIT).until(() -> droppedAsFull() == 10);
    assertThat(Files.size(deadLetters())).isEqualTo(Spool.deadLetterBound(MAX_BYTES) + 1);
  }

  @Test
  void refusedBatchesAreLoggedOncePerIntervalWithoutTheirEvents() throws Exception {
    Tuning tuning = Events.fast();
    tuning.rejectionLogIntervalMs = 3_600_000; // one interval for the whole test, however slow the machine
    Delivery delivery = start(tuning);
    collector.always(status(401));
    for (int i = 0; i < 200; i++) {
      delivery.accept(personalEvent(i));
    }
    await().atMost(WAIT).until(() -> metrics.eventsDeadLettered.sum() == 200);

    List<String> warnings = logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogRecord::getMessage).toList();
    assertThat(warnings).filteredOn(m -> m.contains("the collector refused")).hasSize(1)
        .allSatisfy(m -> assertThat(m).contains("401").contains("planned 401"));
    assertThat(logged).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain(PERSONAL).doesNotContain("m-1"));
  }

  @Test
  void refusedBatchWithoutASpoolIsCountedAndLoggedWithoutItsEvents() throws Exception {
    Delivery delivery = start(Events.fast(), "spool.dir", "none");
    collector.always(status(401));
    for (int i = 0; i < 10; i++) {
      delivery.accept(personalEvent(i));
    }

    await().atMost(WAIT).until(() -> metrics.droppedByReason().getOrDefault("spool-disabled", 0L) == 10);
    assertThat(logged).allSatisfy(r -> assertThat(r.getMessage()).doesNotContain(PERSONAL));
  }

  @Test
  void collectorsAnswerIsLoggedOnOneLineAndCut() {
    assertThat(SinkChannel.snippet("{\"error\":\"bad\"}\r\nFAKE LOG LINE")).isEqualTo(
        "response: {\"error\":\"bad\"}  FAKE LOG LINE");
    assertThat(SinkChannel.snippet("x".repeat(1000))).hasSize("response: ".length() + SinkChannel.MAX_SNIPPET + 1)
        .endsWith("…");
    assertThat(SinkChannel.snippet(" ")).isEqualTo("no response body");
  }
}
