package dev.audiencekit.sink;

import dev.audiencekit.internal.PrivateFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * {@code sink=jsonl:<file>}: appends each event as one line of JSON, exactly the text a collector
 * would receive. The file and its parent folders are created when missing, as events hold personal
 * data readable by the server's user only ({@code 0600} file, {@code 0700} folders, where the file
 * system has POSIX permissions); a file or folder that exists keeps its permissions. Every delivered
 * batch is flushed to the operating system before {@link #deliver} returns.
 */
public final class JsonlSink implements EventSink {
  private final Path file;
  private Writer out;

  public JsonlSink(Path file) throws IOException {
    this.file = file.toAbsolutePath();
    Path parent = this.file.getParent();
    if (parent != null) {
      PrivateFiles.createFolders(parent);
    }
    this.out = open();
  }

  private Writer open() throws IOException {
    return new BufferedWriter(new OutputStreamWriter(PrivateFiles.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8), 64 * 1024);
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void deliver(List<String> events) throws IOException {
    if (out == null) {
      out = open(); // reopened after a failed write, so a full disk that recovers is used again
    }
    try {
      for (String event : events) {
        out.write(event);
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      Writer broken = out;
      out = null;
      try {
        broken.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  @Override
  public synchronized void flush() throws IOException {
    if (out != null) {
      out.flush();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
