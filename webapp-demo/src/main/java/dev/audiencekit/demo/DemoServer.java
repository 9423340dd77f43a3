package dev.audiencekit.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs the demo shop on embedded Jetty 12 (ee10) at http://localhost:8080 (loopback only).
 *
 * <p>The port comes from the system property {@code demo.port}, else the environment variable
 * {@code DEMO_PORT}, else 8080; {@code 0} picks a free one. The web application is read from
 * {@code src/main/webapp} (the system property {@code demo.webapp} says otherwise), with its classes
 * and libraries on the launcher's classpath, as {@code mvn compile exec:exec} sets it up.
 */
public final class DemoServer implements AutoCloseable {
  /** Jars on the container classpath whose {@code META-INF/*.tld} Jetty must scan: JSTL and audiencekit. */
  static final String TLD_JARS =
      ".*/jakarta\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$|.*/audiencekit-servlet-[^/]*\\.jar$|.*/audiencekit-servlet/target/classes/?$";

  private final Server server;
  private final URI base;

  private DemoServer(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  /** Starts the shop on 127.0.0.1:{@code port} serving {@code webappDir}. */
  public static DemoServer start(int port, Path webappDir) throws Exception {
    if (!Files.isRegularFile(webappDir.resolve("WEB-INF/web.xml"))) {
      throw new IllegalArgumentException("no web application at " + webappDir.toAbsolutePath()
          + " (run from webapp-demo/, or set -Ddemo.webapp=<dir>)");
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setWar(webappDir.toAbsolutePath().toString());
    context.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern", TLD_JARS);
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    server.setStopAtShutdown(true);
    server.start();
    return new DemoServer(server, URI.create("http://localhost:" + connector.getLocalPort()));
  }

  /** The shop's address, e.g. {@code http://localhost:8080}. */
  public URI base() {
    return base;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  public static void main(String[] args) throws Exception {
    DemoServer demo = start(port(), Path.of(System.getProperty("demo.webapp", "src/main/webapp")));
    System.out.println("audiencekit demo shop: " + demo.base() + "/   identity inspector: " + demo.base()
        + "/inspector   (Ctrl+C stops)");
    demo.server.join();
  }

  static int port() {
    String value = System.getProperty("demo.port");
    String from = "system property demo.port";
    if (value == null || value.isBlank()) {
      value = System.getenv("DEMO_PORT");
      from = "environment variable DEMO_PORT";
    }
    if (value == null || value.isBlank()) {
      return 8080;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(from + ": '" + value + "' is not a port number (0-65535)");
    }
  }
}
