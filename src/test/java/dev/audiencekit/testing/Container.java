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
    try {
      return switch (kind) {
        case JETTY -> JettyContainer.start(webappDir, initializer);
        case TOMCAT -> TomcatContainer.start(webappDir, initializer);
      };
    } catch (Exception e) {
      throw new IllegalStateException("could not start " + kind, e);
    }
  }

  /** The containers the suite runs on. */
  enum Kind { JETTY, TOMCAT }

  /** The test web application directory (JSPs and a minimal web.xml). */
  static Path testWebapp() {
    return Path.of("src/test/webapp").toAbsolutePath();
  }
}
