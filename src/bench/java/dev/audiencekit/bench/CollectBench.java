package dev.audiencekit.bench;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.testing.RawHttp;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * What first-party collection costs, on embedded Jetty 12 (ee10) with delivery over HTTP to a loopback
 * collector: (1) how many analytics.js track posts per second the endpoint accepts, from
 * {@code bench.connections} keep-alive connections for {@code bench.seconds} after a warm-up, and how
 * many of those events the collector then received; (2) the latency of a page that sends three events,
 * measured on one keep-alive connection as the page request plus three posts to the endpoint (as
 * analytics.js would, one after the other), against the same three events sent by the server API
 * during the page request, against the page alone. The three alternate, {@code bench.pages} times each.
 * Everything runs in one JVM on the same cores, client included. Figures are printed and written to
 * {@code target/bench/collect.txt}.
 *
 * <p>{@code mvn -B -Pbench test-compile exec:exec@collect}
 */
public final class CollectBench {
  private static final String ANON = "5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11";
  private static final String COOKIE = "ajs_anonymous_id=" + ANON + "; ak_anonymous_id=" + ANON;
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/126.0.0.0 Safari/537.36";
  /** A track event as analytics-next 1.84 posts it to /v1/t (about 900 bytes). */
  private static final byte[] TRACK = ("{\"timestamp\":\"2026-12-03T10:00:00.000Z\",\"integrations\":{},"
      + "\"type\":\"track\",\"event\":\"Product Added\",\"properties\":{\"sku\":\"SKU-123\",\"price\":19.99,"
      + "\"quantity\":1,\"currency\":\"EUR\"},\"options\":{},\"userId\":null,\"anonymousId\":\"" + ANON + "\","
      + "\"messageId\":\"ajs-next-1733220000000-7d3e4a9b9c4e\",\"context\":{\"page\":{\"path\":\"/cart\","
      + "\"referrer\":\"https://shop.example/\",\"search\":\"\",\"title\":\"Cart\",\"url\":\"https://shop.example/cart\"},"
      + "\"userAgent\":\"" + UA + "\",\"userAgentData\":{\"brands\":[],\"mobile\":false,\"platform\":\"Linux\"},"
      + "\"locale\":\"en-GB\",\"library\":{\"name\":\"analytics.js\",\"version\":\"next-1.84.3\"},"
      + "\"timezone\":\"Europe/Berlin\"},\"writeKey\":\"first-party\",\"sentAt\":\"2026-12-03T10:00:00.050Z\","
      + "\"_metadata\":{\"bundled\":[\"Segment.io\"],\"unbundled\":[],\"bundledIds\":[]}}")
      .getBytes(StandardCharsets.UTF_8);

  /** The page: "ok", and with {@code ?three} three track events through the server API. */
  public static final class Page extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getQueryString() != null) {
        AnalyticsContext analytics = AnalyticsContext.get(request);
        Map<String, Object> properties = Map.of("sku", "SKU-123", "price", 19.99, "quantity", 1, "currency", "EUR");
        analytics.track("Product Viewed", properties);
        analytics.track("Product Added", properties);
        analytics.track("Checkout Started", properties);
      }
      response.setContentType("text/plain");
      response.setContentLength(OK.length);
      response.getOutputStream().write(OK);
    }
  }

  public static void main(String[] args) throws Exception {
    int status = 1;
    try {
      run();
      status = 0;
    } finally {
      System.exit(status); // Jetty's and the filter's threads must not keep a failed run alive
    }
  }

  private static void run() throws Exception {
    int seconds = Integer.getInteger("bench.seconds", 10);
    int connections = Integer.getInteger("bench.connections", 8);
    int pages = Integer.getInteger("bench.pages", 2000);
    Path work = Path.of("target", "bench");
    Files.createDirectories(work);
    List<String> report = new ArrayList<>();
    try (LoopbackCollector collector = new LoopbackCollector()) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("writeKey", "WK_BENCH");
      params.put("endpoint", collector.baseUrl() + "/v1");
      params.put("sink", "http");
      params.put("spool.dir", work.resolve("collect-spool").toAbsolutePath().toString());
      params.put("collect", "/ak");
      params.put("collect.maxEventsPerMinute", "1000000000"); // one client address sends everything
      Server server = start(params);
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
      report.add(String.format(Locale.ROOT, "CollectBench: Jetty 12 ee10, sink=http to a loopback collector, "
          + "%d connections x %d s (after %d s warm-up), %d pages per latency scenario; client in the same JVM; "
          + "java %s, %d cores", connections, seconds, Math.max(3, seconds / 2), pages,
          System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));

      long warmup = drive(port, connections, Math.max(3, seconds / 2), true); // warm-up, both kinds
      drive(port, connections, Math.max(3, seconds / 2), false);
      long pagesPerSecond = drive(port, connections, seconds, false) / seconds;
      long accepted = drive(port, connections, seconds, true);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (collector.events.sum() < warmup + accepted && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // wait for the last batches
      }
      report.add(String.format(Locale.ROOT, "throughput: %,.0f track posts/s accepted (200) over %d s, "
          + "against %,d plain page requests/s through the filter in the same setup (%.0f%%); the collector "
          + "received %,d of the %,d events accepted", accepted / (double) seconds, seconds, pagesPerSecond,
          100.0 * accepted / seconds / pagesPerSecond, collector.events.sum(), warmup + accepted));
      System.out.println(report.get(report.size() - 1));

      long[][] latencies = latency(port, pages);
      String[] names = {"page alone (1 request)", "page + 3 events by the server API (1 request)",
          "page + 3 posts to the endpoint (4 requests)"};
      for (int i = 0; i < 3; i++) {
        long[] l = latencies[i];
        report.add(String.format(Locale.ROOT, "latency %-45s p50 %6.0f µs  p90 %6.0f µs  p99 %6.0f µs", names[i],
            percentile(l, 50), percentile(l, 90), percentile(l, 99)));
      }
      report.add(String.format(Locale.ROOT, "added p50 over the page alone: server API %+.0f µs, endpoint %+.0f µs",
          percentile(latencies[1], 50) - percentile(latencies[0], 50),
          percentile(latencies[2], 50) - percentile(latencies[0], 50)));
      server.stop();
    }
    Files.write(work.resolve("collect.txt"), report);
    System.out.println();
    report.forEach(System.out::println);
  }

  /**
   * Posts track events ({@code events}) or requests the page from {@code connections} threads for
   * {@code seconds}; returns the 200s.
   */
  private static long drive(int port, int connections, int seconds, boolean events) throws Exception {
    LongAdder ok = new LongAdder();
    CountDownLatch done = new CountDownLatch(connections);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < connections; c++) {
      Thread t = new Thread(() -> {
        try (RawHttp http = new RawHttp(java.net.URI.create("http://127.0.0.1:" + port))) {
          while (System.nanoTime() < end) {
            RawHttp.Response response = http.send(events ? post() : page("/hello"));
            if (response.status() != 200) {
              throw new IllegalStateException("status " + response.status() + ": " + response.bodyText());
            }
            ok.increment();
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
      }, "bench-client-" + c);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a client failed", failures.get(0));
    }
    return ok.sum();
  }

  private static RawHttp.Request post() {
    return RawHttp.request("POST", "/ak/v1/t").header("Host", "127.0.0.1").header("User-Agent", UA)
        .header("Cookie", COOKIE).header("Content-Type", "text/plain")
        .header("Content-Length", Integer.toString(TRACK.length)).body(TRACK);
  }

  private static RawHttp.Request page(String target) {
    return RawHttp.get(target).header("Host", "127.0.0.1").header("User-Agent", UA).header("Cookie", COOKIE)
        .header("Accept-Language", "en-GB,en;q=0.9");
  }

  /** Nanoseconds per page for the three scenarios, alternating, on one keep-alive connection. */
  private static long[][] latency(int port, int pages) throws IOException {
    long[][] out = new long[3][pages];
    try (RawHttp http = new RawHttp(java.net.URI.create("http://127.0.0.1:" + port))) {
      for (int warm = 0; warm < Math.min(pages, 500); warm++) {
        scenario(http, warm % 3);
      }
      for (int i = 0; i < pages; i++) {
        for (int s = 0; s < 3; s++) {
          out[s][i] = scenario(http, s);
        }
      }
    }
    for (long[] l : out) {
      Arrays.sort(l);
    }
    return out;
  }

  private static long scenario(RawHttp http, int which) throws IOException {
    long start = System.nanoTime();
    expectOk(http.send(page(which == 1 ? "/hello?three" : "/hello")));
    if (which == 2) {
      for (int e = 0; e < 3; e++) {
        expectOk(http.send(post()));
      }
    }
    return System.nanoTime() - start;
  }

  private static void expectOk(RawHttp.Response response) {
    if (response.status() != 200) {
      throw new IllegalStateException("status " + response.status() + ": " + response.bodyText());
    }
  }

  private static double percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
  }

  private static Server start(Map<String, String> filterParams) throws Exception {
    Server server = new Server(new QueuedThreadPool(200, 8));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Page()), "/hello");
    FilterHolder filter = new FilterHolder(new AnalyticsFilter());
    filter.setName("analytics");
    filter.setInitParameters(filterParams);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return server;
  }
}
