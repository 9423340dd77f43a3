package dev.audiencekit.delivery;

import static dev.audiencekit.delivery.Collector.status;
import static dev.audiencekit.delivery.Events.settings;
import static dev.audiencekit.delivery.Events.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.audiencekit.metrics.Metrics;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spooled events and dead letters hold personal data: only the server's user can read them. */
class SpoolPermissionsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private final Metrics metrics = new Metrics();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
  }

  private Delivery start(String endpoint, Path spool) {
    Delivery delivery = Delivery.start(settings("writeKey", "wk", "endpoint", endpoint, "flushIntervalMs", "20",
        "retry.maxBackoffMs", "100", "spool.dir", spool.toString()), metrics, tmp, "perm", Events.fast());
    cleanup.add(0, delivery);
    return delivery;
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static List<Path> everything(Path folder) throws Exception {
    try (Stream<Path> all = Files.walk(folder)) {
      return all.toList();
    }
  }

  @Test
  void spoolFoldersAndFilesAreTheOwnersOnly() throws Exception {
    Path spool = tmp.resolve("deep/spool");
    Delivery delivery = start("http://127.0.0.1:" + Collector.freePort() + "/v1", spool); // nobody answers
    for (int i = 0; i < 50; i++) {
      delivery.accept(track("m-" + i));
    }
    await().atMost(WAIT).until(() -> metrics.eventsSpooled.sum() == 50);
    delivery.close();

    List<Path> written = everything(spool);
    assertThat(written).anyMatch(p -> p.toString().endsWith(SpoolQueue.SUFFIX));
    for (Path path : written) {
      assertThat(mode(path)).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
    }
    assertThat(mode(tmp.resolve("deep"))).isEqualTo("rwx------");
  }

  @Test
  void deadLetterFileIsTheOwnersOnly() throws Exception {
    Collector collector = Collector.start();
    cleanup.add(collector);
    collector.always(status(400));
    Path spool = tmp.resolve("spool");
    Delivery delivery = start(collector.endpoint(), spool);
    delivery.accept(track("m-1"));
    Path deadLetters = spool.resolve(Spool.DEAD_LETTER_FILE);
    await().atMost(WAIT).until(() -> Files.exists(deadLetters) && Files.size(deadLetters) > 0);

    assertThat(mode(deadLetters)).isEqualTo("rw-------");
  }

  @Test
  void anExistingSpoolFolderOpenToOthersIsNarrowed() throws Exception {
    Path spool = Files.createDirectories(tmp.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxr-xr-x"));

    start("http://127.0.0.1:" + Collector.freePort() + "/v1", spool);

    assertThat(mode(spool)).isEqualTo("rwx------");
  }
}
