package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.store.Mirror.Restore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mirror over the production path ({@code store=jdbc:postgresql:...} through {@link Stores}, i.e.
 * HikariCP) on a private PostgreSQL cluster that the test stops and starts again.
 */
class MirrorOnPostgresTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String FP = "fp-of-the-device";
  static PostgresServer server;

  @BeforeAll
  static void startServer() {
    server = PostgresServer.startNew();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static IdentityRecord record(String anonymousId, String userId) {
    return IdentityRecord.of(anonymousId, userId, null, null, null, null, T0);
  }

  @Test
  void serverStoppedMidRunFailsOpenLogsQuietlyAndRecoversAfterRestart() {
    Settings settings = Settings.of(Map.of("store", server.url(), "store.user", server.user(),
        "secret", "0123456789abcdef0123456789abcdef"));
    Metrics metrics = new Metrics();
    MutableClock clock = new MutableClock(T0); // frozen: every failure falls in one 30 s log window
    IdentityStore direct = new JdbcStore(server.dataSource("public"));
    try (LogCapture log = new LogCapture(Mirror.class.getName());
        Mirror mirror = Mirror.builder(Stores.open(settings)).metrics(metrics).clock(clock)
            .timeout(Duration.ofMillis(500)).flushInterval(Duration.ofMillis(50)).build()) {

      // healthy: writes reach PostgreSQL, restore works
      mirror.save(record("a-1", "u-1"));
      mirror.link(FP, "a-1");
      await().atMost(Duration.ofSeconds(30)).until(() -> mirror.pendingWrites() == 0 && direct.find("a-1") != null);
      assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1"));
      assertThat(metrics.storeErrors.sum()).isZero();

      server.stop();

      // down: every call answers, and fast; nothing is thrown
      mirror.save(record("a-2", "u-2"));
      for (int i = 0; i < 30; i++) {
        long start = System.nanoTime();
        assertThat(mirror.find("a-1")).isNull();
        assertThat(mirror.restore(FP)).isEqualTo(Restore.FAILED);
        assertThat(mirror.find("a-2").userId()).isEqualTo("u-2"); // queued on this node: still visible
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      }
      assertThat(metrics.storeErrors.sum()).isGreaterThanOrEqualTo(60);
      assertThat(log.at(Level.WARNING)).hasSize(1);

      server.start();

      // back: restore works again and the write made during the outage arrives
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> mirror.restore(FP).equals(Restore.found("a-1")));
      await().atMost(Duration.ofSeconds(60)).until(() -> direct.find("a-2") != null);
      assertThat(direct.find("a-2").userId()).isEqualTo("u-2");
      assertThat(log.at(Level.WARNING)).hasSize(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> log.at(Level.INFO).size() == 1);
      assertThat(log.at(Level.INFO).get(0)).contains("works again");
    }
  }
}
