package dev.audiencekit.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A Segment-compatible collector on 127.0.0.1 for container tests: {@code POST /v1/batch} (gzip or not)
 * is parsed and answered according to the {@link Mode}; it can be stopped (connections refused) and
 * restarted on the same port. Records the messageIds of every batch it answered with 200.
 */
public final class LoopbackCollector implements AutoCloseable {
  /** How batches are answered. */
  public enum Mode {
    /** 200. */
    OK,
    /** 500 with a small JSON body. */
    FAIL,
    /** Held without an answer until the mode changes (or the collector stops), then answered 200. */
    SLOW
  }

  private final int port;
  private HttpServer server;
  private ExecutorService executor;
  private volatile Mode mode = Mode.OK;
  private volatile CountDownLatch held = new CountDownLatch(1);
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private final AtomicInteger batches = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  private LoopbackCollector(int port) {
    this.port = port;
  }

  public static LoopbackCollector start() throws IOException {
    LoopbackCollector collector = new LoopbackCollector(0);
    collector.up(0);
    return collector;
  }

  private void up(int onPort) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "loopback-collector");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/v1/batch", this::handle);
    server.start();
  }

  /** The {@code endpoint} init-param value, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public synchronized void mode(Mode next) {
    mode = next;
    held.countDown();
    held = new CountDownLatch(1);
  }

  /** Stops listening: connections are refused until {@link #restart()}. */
  public synchronized void stop() {
    held.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Listens again on the same port. */
  public synchronized void restart() throws IOException {
    int samePort = server.getAddress().getPort();
    held = new CountDownLatch(1);
    up(samePort);
  }

  /** messageIds of every event in a batch answered 200. */
  public Set<String> delivered() {
    return delivered;
  }

  /** Batches answered 200, and batches answered 500. */
  public int batches() {
    return batches.get();
  }

  public int failed() {
    return failed.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
          body = in.readAllBytes();
        }
      }
      JsonObject json;
      try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
        json = reader.readObject();
      }
      Mode now = mode;
      if (now == Mode.SLOW) {
        CountDownLatch latch = held;
        try {
          latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        now = Mode.OK;
      }
      if (now == Mode.FAIL) {
        answer(exchange, 500, "{\"error\":\"planned failure\"}");
        failed.incrementAndGet();
        return;
      }
      answer(exchange, 200, "{\"success\":true}");
      List<String> ids = new ArrayList<>();
      for (JsonValue event : json.getJsonArray("batch")) {
        ids.add(event.asJsonObject().getString("messageId"));
      }
      delivered.addAll(ids);
      batches.incrementAndGet();
    }
  }

  private static void answer(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
