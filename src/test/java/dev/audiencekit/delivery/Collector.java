package dev.audiencekit.delivery;

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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A loopback Segment-compatible collector for tests: records every {@code POST /v1/batch} (gunzipped
 * and parsed) and answers from a script of planned responses, then 200.
 */
final class Collector implements AutoCloseable {

  /** One recorded request. */
  record Request(long atNanos, Map<String, List<String>> headers, JsonObject body, int answeredStatus) {
    List<String> messageIds() {
      List<String> ids = new ArrayList<>();
      for (JsonValue event : body.getJsonArray("batch")) {
        ids.add(event.asJsonObject().getString("messageId"));
      }
      return ids;
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What to do with one request. */
  interface Plan {
    /** Returns the status sent (0 when no answer was sent). */
    int answer(HttpExchange exchange, byte[] body) throws IOException;
  }

  static Plan status(int code, String... headerPairs) {
    return (exchange, body) -> {
      for (int i = 0; i + 1 < headerPairs.length; i += 2) {
        exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
      }
      byte[] text = ("{\"error\":\"planned " + code + "\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, text.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(text);
      }
      return code;
    };
  }

  /** Holds the request until {@link #release()} (or close), then answers 200. */
  Plan hang() {
    return (exchange, body) -> {
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return status(200).answer(exchange, body);
    };
  }

  /** Reads the body and then closes the connection without answering. */
  static Plan dropConnection() {
    return (exchange, body) -> {
      exchange.getHttpContext().getServer(); // keep the exchange referenced until here
      exchange.close();
      return 0;
    };
  }

  private final int port;
  private HttpServer server;
  private ExecutorService executor;
  private final Deque<Plan> plans = new ArrayDeque<>();
  private volatile Plan always;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch released = new CountDownLatch(1);

  private Collector(int port) {
    this.port = port;
  }

  static Collector start() throws IOException {
    return startOn(0);
  }

  static Collector startOn(int port) throws IOException {
    Collector collector = new Collector(port);
    collector.up();
    return collector;
  }

  /** A port that nothing listens on (yet). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void up() throws IOException {
    // the JDK server leaves Nagle on by default: each small response then waits for a delayed ACK (~40 ms)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-collector");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/v1/batch", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Queues planned answers for the next requests, in order. */
  synchronized Collector then(Plan... next) {
    Collections.addAll(plans, next);
    return this;
  }

  synchronized Collector thenTimes(int times, Plan plan) {
    for (int i = 0; i < times; i++) {
      plans.add(plan);
    }
    return this;
  }

  /** Answers every request with {@code plan} (null: back to the script, then 200). */
  Collector always(Plan plan) {
    this.always = plan;
    return this;
  }

  void release() {
    released.countDown();
  }

  private synchronized Plan nextPlan() {
    Plan plan = always;
    if (plan != null) {
      return plan;
    }
    plan = plans.pollFirst();
    return plan == null ? status(200) : plan;
  }

  private final java.util.concurrent.atomic.AtomicInteger arrived = new java.util.concurrent.atomic.AtomicInteger();

  /** Requests whose body has been read, answered or not. */
  int arrived() {
    return arrived.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = in.readAllBytes();
    }
    byte[] body = raw;
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        body = in.readAllBytes();
      }
    }
    JsonObject json;
    try (JsonReader reader = Json.createReader(new ByteArrayInputStream(body))) {
      json = reader.readObject();
    }
    arrived.incrementAndGet();
    int status = nextPlan().answer(exchange, body);
    Request request = new Request(System.nanoTime(), Map.copyOf(exchange.getRequestHeaders()), json, status);
    requests.add(request);
    if (status >= 200 && status < 300) {
      delivered.addAll(request.messageIds());
    }
    exchange.close();
  }

  List<Request> requests() {
    return requests;
  }

  /** messageIds of every batch answered with 2xx. */
  Set<String> delivered() {
    return delivered;
  }

  /** Stops listening (connections are refused afterwards) but keeps what was recorded. */
  void stop() {
    released.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Listens again on the same port. */
  void restart() throws IOException {
    released = new CountDownLatch(1);
    up();
  }

  @Override
  public void close() {
    stop();
  }
}
