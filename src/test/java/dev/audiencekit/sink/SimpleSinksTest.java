package dev.audiencekit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimpleSinksTest {
  @TempDir Path tmp;

  @Test
  void memorySinkKeepsTheLatestThousandNewestLast() {
    MemorySink sink = new MemorySink();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      events.add("{\"n\":" + i + "}");
    }
    sink.deliver(events);
    assertThat(sink.recent()).hasSize(1000);
    assertThat(sink.recent().get(0)).isEqualTo("{\"n\":500}");
    assertThat(sink.recent().get(999)).isEqualTo("{\"n\":1499}");
  }

  @Test
  void jsonlSinkCreatesFoldersAndAppendsOneLinePerEvent() throws Exception {
    Path file = tmp.resolve("a/b/events.jsonl");
    try (JsonlSink sink = new JsonlSink(file)) {
      sink.deliver(List.of("{\"n\":1}", "{\"n\":2}"));
      assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}");
    }
    try (JsonlSink again = new JsonlSink(file)) {
      again.deliver(List.of("{\"n\":3}"));
    }
    assertThat(Files.readAllLines(file)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
  }

  @Test
  void jsonlFileIsCreatedForTheOwnerOnlyInFoldersForTheOwnerOnly() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = tmp.resolve("a/b/events.jsonl");
    try (JsonlSink sink = new JsonlSink(file)) {
      sink.deliver(List.of("{\"email\":\"jane@example.com\"}"));
    }

    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(tmp.resolve("a/b"))).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
  }

  @Test
  void jsonlSinkLeavesAnExistingFolderAsItIs() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Files.setPosixFilePermissions(logs, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
    try (JsonlSink sink = new JsonlSink(logs.resolve("events.jsonl"))) {
      sink.deliver(List.of("{}"));
    }

    assertThat(mode(logs)).isEqualTo("rwxr-x---");
    assertThat(mode(logs.resolve("events.jsonl"))).isEqualTo("rw-------");
  }

  private static String mode(Path path) throws Exception {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
