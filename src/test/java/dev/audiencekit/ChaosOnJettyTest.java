package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.store.PostgresServer;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.LoopbackCollector;
import dev.audiencekit.testing.TestApp;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos during load: the lifecycle load of {@link IdentityIsolationOnJettyTest} runs against Jetty
 * with {@code sink=http} (a loopback collector) plus a {@code jsonl} sink as the record of every
 * accepted event, and {@code store=jdbc:postgresql} on a private PostgreSQL. As the load progresses
 * (phases move on request counts, not on time), the collector answers 500, then is down, then hangs
 * every request, then recovers; then PostgreSQL is stopped and started again. No request fails (status
 * 200 and the browser's own ids; traits, which live only in the mirror, may be missing while the store
 * fails open, and are counted, but are never another browser's), and afterwards every accepted event's
 * messageId has been answered 200 by the collector.
 */
class ChaosOnJettyTest {
  static final int BROWSERS = 30;
  static final int PHASE_REQUESTS = 300;

  @Test
  void collectorAndDatabaseOutagesNeverFailARequestNorLoseAnEvent(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("accepted.jsonl");
    try (PostgresServer postgres = PostgresServer.startNew(); LoopbackCollector collector = LoopbackCollector.start()) {
      String schema = postgres.newSchema();
      Map<String, String> params = TestApp.defaults();
      params.put("writeKey", "chaos-write-key");
      params.put("endpoint", collector.endpoint());
      params.put("sink", "http,jsonl:" + events);
      params.put("flushAt", "20");
      params.put("flushIntervalMs", "50");
      params.put("http.timeoutMs", "1000");
      params.put("retry.maxBackoffMs", "400");
      params.put("spool.dir", dir.resolve("spool").toString());
      params.put("store", postgres.url(schema));
      params.put("store.user", postgres.user());
      params.put("secret", "chaos-test-fingerprint-secret-0123456789");
      try (Container container = Container.start(Container.Kind.JETTY, Container.testWebapp(), new TestApp(params))) {
        LoadDriver driver = new LoadDriver(container.base(), BROWSERS, false);
        AtomicBoolean keepGoing = new AtomicBoolean(true);
        CompletableFuture<Integer> load = CompletableFuture.supplyAsync(() -> {
          try {
            return driver.run(round -> keepGoing.get());
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });

        after(driver, 1, () -> collector.mode(LoopbackCollector.Mode.FAIL));
        after(driver, 2, collector::stop);
        after(driver, 3, () -> {
          collector.restart();
          collector.mode(LoopbackCollector.Mode.SLOW);
        });
        after(driver, 4, () -> collector.mode(LoopbackCollector.Mode.OK));
        after(driver, 5, postgres::stop);
        after(driver, 6, postgres::start);
        after(driver, 7, () -> keepGoing.set(false));
        int requests = load.get(3, TimeUnit.MINUTES);

        assertThat(driver.failures).as("failed or wrong responses").isEmpty();
        List<JsonObject> accepted = await().atMost(Duration.ofSeconds(30))
            .until(() -> IdentityIsolationOnJettyTest.read(events), list -> list.size() >= requests);
        assertThat(accepted).hasSize(requests);
        Set<String> acceptedIds = new HashSet<>();
        accepted.forEach(event -> acceptedIds.add(event.getString("messageId")));
        assertThat(acceptedIds).hasSize(requests);
        await().atMost(Duration.ofSeconds(90)).until(() -> collector.delivered().containsAll(acceptedIds));
        assertThat(driver.checkEvents(accepted)).as("events carrying another browser's identity").isEmpty();
        System.out.printf("chaos: %d requests, %d events accepted and delivered (%d batches answered 200, %d"
            + " answered 500), %d responses without the traits the store could not give in time%n", requests,
            acceptedIds.size(), collector.batches(), collector.failed(), driver.traitsUnavailable.get());
      }
    }
  }

  interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} once the load has made {@code phase} × {@link #PHASE_REQUESTS} requests. */
  private static void after(LoadDriver driver, int phase, Action action) throws Exception {
    await().atMost(Duration.ofSeconds(120)).until(() -> driver.requests.get() >= phase * PHASE_REQUESTS
        || !driver.failures.isEmpty());
    action.run();
  }
}
