package dev.audiencekit.delivery;

import static dev.audiencekit.delivery.Events.settings;
import static dev.audiencekit.delivery.Events.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.sink.EventSink;
import dev.audiencekit.sink.MemorySink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryTest {
  @TempDir Path tmp;
  private final Metrics metrics = new Metrics();
  private final List<Delivery> started = new ArrayList<>();

  private Delivery start(Settings settings) {
    Delivery delivery = Delivery.start(settings, metrics, tmp, "test", Events.fast());
    started.add(delivery);
    return delivery;
  }

  @AfterEach
  void closeAll() {
    started.forEach(Delivery::close);
    Gate.reset();
  }

  /** A sink that blocks in deliver() until the test opens the gate. */
  public static final class Gate implements EventSink {
    static volatile CountDownLatch open = new CountDownLatch(1);
    static final List<String> received = new CopyOnWriteArrayList<>();

    static void reset() {
      open.countDown();
      open = new CountDownLatch(1);
      received.clear();
    }

    @Override
    public void deliver(List<String> events) throws InterruptedException {
      open.await(30, TimeUnit.SECONDS);
      received.addAll(events);
    }
  }

  @Test
  void memorySinkReceivesAcceptedEventsAfterFlush() {
    Delivery delivery = start(settings("sink", "memory", "flushIntervalMs", "60000"));
    delivery.accept(track("m-1"));
    delivery.accept(track("m-2"));
    delivery.flush();
    MemorySink memory = delivery.sink(MemorySink.class).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> memory.recent().size() == 2);
    assertThat(memory.recent()).containsExactly(track("m-1"), track("m-2"));
    assertThat(metrics.eventsAccepted.sum()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.eventsDelivered.sum() == 2);
  }

  @Test
  void batchClosesAtFlushAtWithoutWaitingForTheInterval() {
    Delivery delivery = start(settings("sink", "memory", "flushAt", "3", "flushIntervalMs", "3600000"));
    for (int i = 0; i < 3; i++) {
      delivery.accept(track());
    }
    MemorySink memory = delivery.sink(MemorySink.class).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> memory.recent().size() == 3);
  }

  @Test
  void batchClosesAtFlushInterval() {
    Delivery delivery = start(settings("sink", "memory", "flushAt", "100", "flushIntervalMs", "50"));
    delivery.accept(track());
    MemorySink memory = delivery.sink(MemorySink.class).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> memory.recent().size() == 1);
  }

  @Test
  void everySinkGetsEveryEvent() throws Exception {
    Path file = tmp.resolve("out/sub/events.jsonl");
    Delivery delivery = start(settings("sink", "memory,jsonl:" + file, "flushIntervalMs", "20"));
    for (int i = 0; i < 5; i++) {
      delivery.accept(track("m-" + i));
    }
    MemorySink memory = delivery.sink(MemorySink.class).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> memory.recent().size() == 5
        && Files.exists(file) && Files.readAllLines(file).size() == 5);
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactlyElementsOf(memory.recent());
  }

  @Test
  void eventOver32KilobytesIsRejectedAndCounted() {
    Delivery delivery = start(settings("sink", "memory", "flushIntervalMs", "20"));
    String big = track("big").replace("\"properties\":{}", "\"properties\":{\"x\":\"" + "é".repeat(16_400) + "\"}");
    assertThat(big.length()).isLessThan(32 * 1024); // only the UTF-8 size is over the limit
    delivery.accept(big);
    delivery.accept(track("small"));
    MemorySink memory = delivery.sink(MemorySink.class).orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(() -> memory.recent().size() == 1);
    assertThat(memory.recent().get(0)).contains("small");
    assertThat(metrics.droppedByReason()).containsEntry("too-large", 1L);
    assertThat(metrics.eventsAccepted.sum()).isEqualTo(1);
  }

  @Test
  void acceptNeverThrowsOnNull() {
    Delivery delivery = start(settings("sink", "none"));
    delivery.accept(null);
    assertThat(metrics.droppedByReason()).containsEntry("invalid", 1L);
  }

  @Test
  void fullQueueSpillsToTheSpoolAndNothingIsLost() {
    Delivery delivery = start(settings("sink", Gate.class.getName(), "queue.capacity", "5", "flushAt", "1",
        "flushIntervalMs", "20"));
    for (int i = 0; i < 200; i++) {
      delivery.accept(track("m-" + i));
    }
    assertThat(metrics.eventsAccepted.sum()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.eventsSpooled.sum() > 0);
    Gate.open.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> Gate.received.stream().distinct().count() == 200);
    assertThat(metrics.droppedTotal()).isZero();
  }

  @Test
  void fullQueueWithoutSpoolDropsWithReason() {
    Delivery delivery = start(settings("sink", Gate.class.getName(), "queue.capacity", "5", "flushAt", "1",
        "spool.dir", "none"));
    for (int i = 0; i < 200; i++) {
      delivery.accept(track());
    }
    assertThat(metrics.droppedByReason().get("queue-full")).isPositive();
    Gate.open.countDown();
  }

  @Test
  void closeIsIdempotentEndsItsThreadsAndLaterEventsAreSpooledOrCounted() {
    Delivery delivery = start(settings("sink", "memory", "flushIntervalMs", "60000"));
    delivery.accept(track("before"));
    delivery.close();
    delivery.close();
    assertThat(delivery.sink(MemorySink.class).orElseThrow().recent()).hasSize(1);
    delivery.accept(track("after"));
    assertThat(metrics.droppedByReason()).containsEntry("closed", 1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith("audiencekit-test-") && t.isAlive()));
  }

  @Test
  void threadsAreDaemonsNamedAfterTheInstance() {
    start(settings("sink", "memory"));
    List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("audiencekit-test-")).toList();
    assertThat(ours).isNotEmpty().allMatch(Thread::isDaemon);
  }

  @Test
  void unknownSinkClassFailsWithTheParameterName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(settings("sink", "com.example.NoSuchSink")))
        .isInstanceOf(dev.audiencekit.config.InvalidSettingException.class)
        .hasMessageStartingWith("init-param sink: 'com.example.NoSuchSink'");
  }
}
