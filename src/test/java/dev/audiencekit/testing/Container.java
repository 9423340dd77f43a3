package dev.audiencekit.testing;

import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.nio.file.Path;

/** An embedded servlet container serving one web application on 127.0.0.1 and an ephemeral port. */
public interface Container extends AutoCloseable {

  /** The base URI, e.g. {@code http://127.0.0.1:41234}. */
  URI base();

  /** Stops the container (destroying the filters). */
  @Override
  void close();

  /** Starts a container of the given kind serving {@code webappDir} with {@code initializer} run at start. */
  static Container start(Kind kind, Path webappDir, ServletContainerInitializer initializer) {
    return start(kind, webappDir, initializer, DEFAULT_MAX_HEADER_BYTES);
  }

  /** The containers' own default limit of the request line plus headers (8 KiB on both). */
  int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

  /**
   * Like {@link #start(Kind, Path, ServletContainerInitializer)} with the limit of the request line plus
   * headers raised (or lowered) to {@code maxHeaderBytes}, so tests can hand the filter headers larger
   * than the containers' 8 KiB default.
   */
  static Container start(Kind kind, Path webappDir, ServletContainerInitializer initializer, int maxHeaderBytes) {
    try {
      return switch (kind) {
        case JETTY -> JettyContainer.start(webappDir, initializer, maxHeaderBytes);
        case TOMCAT -> TomcatContainer.start(webappDir, initializer, maxHeaderBytes);
      };
    } catch (Exception e) {
      throw new IllegalStateException("could not start " + kind, e);
    }
  }

  /** The containers the suite runs on. */
  enum Kind { JETTY, TOMCAT }

  /**
   * The test web application directory (JSPs and a minimal web.xml): {@code src/test/webapp}, or the
   * directory named by the system property {@code audiencekit.test.webapp} (the javax build runs the
   * same tests on a transformed copy).
   */
  static Path testWebapp() {
    return Path.of(System.getProperty("audiencekit.test.webapp", "src/test/webapp")).toAbsolutePath();
  }
}
