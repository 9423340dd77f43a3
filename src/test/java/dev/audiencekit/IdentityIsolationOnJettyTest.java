package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity isolation under load: 50 simulated browsers (each its own cookie jar and User-Agent) run
 * the lifecycle (page views, identify with their own userId and traits, track, reset) concurrently
 * against one embedded Jetty for a fixed number of rounds; events go to a {@code jsonl} sink. No
 * request fails, every response carries only that browser's identity, and every event carries only
 * that browser's ids, User-Agent and traits.
 */
class IdentityIsolationOnJettyTest {
  static final int BROWSERS = 50;
  static final int ROUNDS = 6;

  @Test
  void fiftyConcurrentBrowsersNeverSeeEachOthersIdsOrTraits(@TempDir Path dir) throws Exception {
    Path events = dir.resolve("events.jsonl");
    Map<String, String> params = TestApp.defaults();
    params.put("sink", "jsonl:" + events);
    params.put("flushIntervalMs", "50");
    params.put("flushAt", "100");
    params.put("spool.dir", dir.resolve("spool").toString());
    try (Container container = Container.start(Container.Kind.JETTY, Container.testWebapp(), new TestApp(params))) {
      LoadDriver driver = new LoadDriver(container.base(), BROWSERS, true);
      int requests = driver.run(round -> round < ROUNDS);

      assertThat(driver.failures).as("failed or wrong responses").isEmpty();
      assertThat(requests).isEqualTo(BROWSERS * ROUNDS * 5);
      List<JsonObject> lines = await().atMost(Duration.ofSeconds(30))
          .until(() -> read(events), list -> list.size() >= requests * LoadDriver.EVENTS_PER_REQUEST);
      assertThat(lines).hasSize(requests * LoadDriver.EVENTS_PER_REQUEST);
      assertThat(driver.checkEvents(lines)).as("events carrying another browser's identity").isEmpty();
      // Each browser had one anonymousId per round before its reset, and one after each reset.
      assertThat(driver.idsByBrowser()).hasSize(BROWSERS)
          .allSatisfy((n, ids) -> assertThat(ids).hasSize(ROUNDS + 1));
      System.out.printf("isolation: %d browsers, %d requests, %d events, %d distinct anonymousIds%n", BROWSERS,
          requests, lines.size(), driver.owners.size());
    }
  }

  static List<JsonObject> read(Path jsonl) throws IOException {
    if (!Files.exists(jsonl)) {
      return List.of();
    }
    String text = Files.readString(jsonl, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    if (end < 0) {
      return List.of();
    }
    return text.substring(0, end).lines().filter(line -> !line.isBlank())
        .map(line -> Json.createReader(new StringReader(line)).readObject()).toList();
  }
}
