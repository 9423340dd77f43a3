package dev.audiencekit.demo;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A servlet container started as its own {@code java} process on 127.0.0.1, as a user runs a standalone
 * distribution. {@link #close()} stops it (SIGTERM, so the container shuts down cleanly, then a kill after
 * a grace period) together with any process it started; a shutdown hook does the same if the test JVM
 * ends first.
 */
final class StandaloneServer implements ShopInBrowserContract.RunningShop {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;
  private final URI base;
  private final Thread shutdownHook;

  private StandaloneServer(String name, Process process, Path log, URI base) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.base = base;
    this.shutdownHook = new Thread(this::stop, "stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A free TCP port on 127.0.0.1 (free now; the container binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Runs {@code command} in {@code workDir} (output to {@code log}) and waits until {@code GET /} on
   * {@code port} answers 200, which for a WAR means deployed and its welcome JSP compiled.
   */
  static StandaloneServer launch(String name, List<String> command, Path workDir, Path log, int port)
      throws IOException {
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    StandaloneServer server = new StandaloneServer(name, process, log, URI.create("http://127.0.0.1:" + port));
    try {
      await(name + " serving the WAR on port " + port).atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .failFast(name + " exited early", () -> !process.isAlive())
          .until(server::answersOk);
    } catch (RuntimeException | Error e) {
      String tail = server.logTail(60);
      server.close();
      throw new AssertionError(name + " did not serve the WAR (" + e.getMessage() + "); end of " + log + ":\n"
          + tail, e);
    }
    return server;
  }

  @Override
  public URI base() {
    return base;
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private boolean answersOk() {
    try {
      return HTTP.send(HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook stops the server
    }
  }

  private synchronized void stop() {
    List<ProcessHandle> all = new ArrayList<>();
    try (Stream<ProcessHandle> children = process.descendants()) {
      children.forEach(all::add);
    }
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  @Override
  public String toString() {
    return name + " at " + base;
  }
}
