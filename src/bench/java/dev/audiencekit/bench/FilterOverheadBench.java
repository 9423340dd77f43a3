package dev.audiencekit.bench;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.AnalyticsFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Filter overhead on embedded Jetty 12 (ee10): the same trivial servlet served with and without the
 * {@link AnalyticsFilter}, driven by {@code wrk} (a separate process) over loopback keep-alive
 * connections. Three scenarios: (a) a returning visitor sending its cookies, (b) a new visitor without
 * cookies (a distinct User-Agent per request, so every request is a new device rather than a
 * coalesced or restored one), (c) a returning visitor whose request emits one track event. Each
 * scenario alternates without/with the filter {@code bench.reps} times, at saturation
 * ({@code -t2 -c32}) and at one connection (latency without queueing); the medians of the runs are
 * compared side by side. Figures are printed and written to {@code target/bench/filter-overhead.txt}.
 *
 * <p>System properties: {@code bench.seconds} (per run, default 10), {@code bench.reps} (default 2),
 * {@code bench.threads} / {@code bench.connections} (default 2 / 32), {@code bench.wrk} (default
 * {@code wrk}), {@code bench.sink} (the filter's sink, default {@code none}).
 */
public final class FilterOverheadBench {
  private static final String ANON = "5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11";
  private static final String RETURNING_COOKIE = "ajs_anonymous_id=" + ANON + "; ak_anonymous_id=" + ANON
      + "; _ga=GA1.1.123456789.1700000000; session=abcdef0123456789";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/126.0.0.0 Safari/537.36";

  /** The trivial servlet: "ok", and a track event when {@code ?track} is given and the filter ran. */
  public static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getQueryString() != null && request.getAttribute(AnalyticsContext.ATTRIBUTE) != null) {
        AnalyticsContext.get(request).track("Bench Event");
      }
      response.setContentType("text/plain");
      response.setContentLength(OK.length);
      response.getOutputStream().write(OK);
    }
  }

  record Result(double rps, double p50us, double p99us) {}

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
    int reps = Integer.getInteger("bench.reps", 2);
    int threads = Integer.getInteger("bench.threads", 2);
    int connections = Integer.getInteger("bench.connections", 32);
    String wrk = System.getProperty("bench.wrk", "wrk");
    String sink = System.getProperty("bench.sink", "none");
    Path work = Path.of("target", "bench");
    Files.createDirectories(work);
    Path newVisitorScript = work.resolve("new-visitor.lua");
    Files.writeString(newVisitorScript, """
        -- a new device per request: no cookies, a distinct User-Agent
        local n = 0
        request = function()
          n = n + 1
          return wrk.format("GET", "/hello", {["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) BenchDevice/" .. n .. "." .. math.random(1, 1000000000)})
        end
        """);

    Server plain = start(null);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sink", sink);
    params.put("spool.dir", work.resolve("spool").toAbsolutePath().toString());
    Server filtered = start(params);
    String plainUrl = "http://127.0.0.1:" + port(plain);
    String filteredUrl = "http://127.0.0.1:" + port(filtered);

    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "FilterOverheadBench: Jetty 12 ee10, wrk -t%d -c%d -d%ds (saturation) and"
        + " -t1 -c1 -d%ds (latency), %d alternating runs each, medians; sink=%s, store=memory, fingerprint on;"
        + " java %s, %d cores", threads, connections, seconds, seconds, reps, sink, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));

    // Warm-up: every path on both servers, not recorded.
    for (String base : List.of(plainUrl, filteredUrl)) {
      wrk(wrk, threads, connections, Math.max(3, seconds / 2), base + "/hello", RETURNING_COOKIE, null);
      wrk(wrk, threads, connections, Math.max(3, seconds / 2), base + "/hello?track", RETURNING_COOKIE, null);
      wrk(wrk, threads, connections, Math.max(3, seconds / 2), base + "/hello", null, newVisitorScript);
    }

    String[][] scenarios = {
        {"(a) returning visitor", "/hello", RETURNING_COOKIE, null},
        {"(b) new visitor", "/hello", null, newVisitorScript.toString()},
        {"(c) one track event", "/hello?track", RETURNING_COOKIE, null}};
    for (String[] s : scenarios) {
      Path script = s[3] == null ? null : Path.of(s[3]);
      List<Result> withoutSat = new ArrayList<>();
      List<Result> withSat = new ArrayList<>();
      List<Result> withoutOne = new ArrayList<>();
      List<Result> withOne = new ArrayList<>();
      for (int r = 0; r < reps; r++) {
        withoutSat.add(wrk(wrk, threads, connections, seconds, plainUrl + s[1], s[2], script));
        withSat.add(wrk(wrk, threads, connections, seconds, filteredUrl + s[1], s[2], script));
        withoutOne.add(wrk(wrk, 1, 1, seconds, plainUrl + s[1], s[2], script));
        withOne.add(wrk(wrk, 1, 1, seconds, filteredUrl + s[1], s[2], script));
      }
      Result a = median(withoutSat);
      Result b = median(withSat);
      Result c = median(withoutOne);
      Result d = median(withOne);
      report.add(String.format(Locale.ROOT, "%-22s saturation: without %,9.0f req/s p50 %6.0f µs p99 %6.0f µs | with"
          + " %,9.0f req/s p50 %6.0f µs p99 %6.0f µs | throughput ratio %5.1f%%", s[0], a.rps, a.p50us, a.p99us,
          b.rps, b.p50us, b.p99us, 100 * b.rps / a.rps));
      report.add(String.format(Locale.ROOT, "%-22s 1 connection: without %,9.0f req/s p50 %6.0f µs p99 %6.0f µs | with"
          + " %,9.0f req/s p50 %6.0f µs p99 %6.0f µs | added p50 %+5.0f µs, p99 %+5.0f µs", s[0], c.rps, c.p50us,
          c.p99us, d.rps, d.p50us, d.p99us, d.p50us - c.p50us, d.p99us - c.p99us));
      report.add(String.format(Locale.ROOT, "%-22s runs (req/s) without %s with %s", s[0], rates(withoutSat),
          rates(withSat)));
      System.out.println(report.get(report.size() - 3));
      System.out.println(report.get(report.size() - 2));
    }
    filtered.stop();
    plain.stop();
    Files.write(work.resolve("filter-overhead.txt"), report);
    System.out.println();
    report.forEach(System.out::println);
  }

  private static String rates(List<Result> results) {
    StringBuilder sb = new StringBuilder("[");
    for (Result r : results) {
      sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", r.rps));
    }
    return sb.append(']').toString();
  }

  private static Result median(List<Result> results) {
    double[] rps = results.stream().mapToDouble(Result::rps).sorted().toArray();
    double[] p50 = results.stream().mapToDouble(Result::p50us).sorted().toArray();
    double[] p99 = results.stream().mapToDouble(Result::p99us).sorted().toArray();
    return new Result(mid(rps), mid(p50), mid(p99));
  }

  private static double mid(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static Server start(Map<String, String> filterParams) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    if (filterParams != null) {
      FilterHolder filter = new FilterHolder(new AnalyticsFilter());
      filter.setName("analytics");
      filter.setInitParameters(filterParams);
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    server.setHandler(context);
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses|Socket errors):.*");

  private static Result wrk(String wrk, int threads, int connections, int seconds, String url, String cookie,
      Path script) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", "-H", "User-Agent: " + UA, "-H", "Accept-Language: en-GB,en;q=0.9"));
    if (cookie != null) {
      command.addAll(List.of("-H", "Cookie: " + cookie));
    }
    if (script != null) {
      command.addAll(List.of("-s", script.toString()));
    }
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + command + "\n" + output);
    }
    Matcher errors = ERRORS.matcher(output);
    if (errors.find()) {
      throw new IllegalStateException("wrk saw errors (" + errors.group() + "): " + command + "\n" + output);
    }
    Matcher rps = RPS.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk output:\n" + output);
    }
    double p50 = -1;
    double p99 = -1;
    Matcher m = PERCENTILE.matcher(output);
    while (m.find()) {
      double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
        case "us" -> 1;
        case "ms" -> 1_000;
        default -> 1_000_000;
      };
      if (m.group(1).equals("50")) {
        p50 = v;
      } else {
        p99 = v;
      }
    }
    return new Result(Double.parseDouble(rps.group(1)), p50, p99);
  }
}
