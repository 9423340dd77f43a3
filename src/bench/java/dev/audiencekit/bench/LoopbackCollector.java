package dev.audiencekit.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * The collector both clients post to: accepts any path ({@code /v1/batch}, analytics-java's
 * {@code /v1/import/}), gunzips when asked, counts the {@code "messageId"} keys and answers 200.
 */
final class LoopbackCollector implements AutoCloseable {
  private static final byte[] KEY = "\"messageId\"".getBytes(StandardCharsets.US_ASCII);
  private final HttpServer server;
  private final ExecutorService executor;
  final LongAdder events = new LongAdder();
  final LongAdder requests = new LongAdder();

  LoopbackCollector() throws IOException {
    // the JDK server leaves Nagle on by default: each small response then waits for a delayed ACK (~40 ms)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-collector");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    events.add(count(body));
    requests.increment();
    byte[] answer = "{\"success\":true}".getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, answer.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  private static int count(byte[] body) {
    int n = 0;
    outer:
    for (int i = 0; i <= body.length - KEY.length; i++) {
      for (int j = 0; j < KEY.length; j++) {
        if (body[i + j] != KEY[j]) {
          continue outer;
        }
      }
      n++;
      i += KEY.length - 1;
    }
    return n;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
