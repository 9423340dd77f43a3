package dev.audiencekit.bench;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.metrics.Metrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
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
 * Filter overhead on embedded Jetty 12 (ee10), three sides serving the same trivial servlet: bare (no
 * filter), the floor ({@link FloorFilter}: only the irreducible job, hand-written) and audiencekit
 * ({@link AnalyticsFilter}, {@code sink=none}, memory store). Driven by {@code wrk} in a separate
 * process over loopback keep-alive connections; run the JVM under {@code taskset -c 0} and wrk goes to
 * {@code bench.wrkCpus} (default 1). Scenarios: (a) a returning visitor sending both identity cookies
 * (the backup cookie in the device-key format), (b) a new visitor without cookies and with a new
 * User-Agent per request (a Lua script), (c) a returning visitor whose request sends one track event.
 * Each scenario runs the three sides alternately ({@code bench.reps} times, the order rotating) at each
 * connection count of {@code bench.connections}; medians are reported, ratios are req/s over bare.
 *
 * <p>Then, when {@code bench.flood} lists device counts (e.g. {@code 100000,1000000}), a fresh
 * audiencekit server takes a new-visitor flood until that many ids were minted; the p99 of each
 * {@code bench.floodSeconds} slice of the flood, the heap after a full GC and the GC time are reported.
 *
 * <p>System properties: {@code bench.seconds} (per run, default 8), {@code bench.reps} (default 3),
 * {@code bench.connections} (comma list, default 50), {@code bench.wrk}, {@code bench.wrkCpus},
 * {@code bench.scenarios} (letters, default abc), {@code bench.flood}, {@code bench.floodSeconds}
 * (default 5). Figures are printed and written to {@code target/bench/filter-overhead.txt}.
 */
public final class FilterOverheadBench {
  private static final String ANON = "5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11";
  /** A 22-character device key and the id: the backup cookie as the library writes it. */
  private static final String BACKUP = "q3Zp9Xr2Lk8Vb1Nc4Md7Fg." + ANON;
  static final String RETURNING_COOKIE = "ajs_anonymous_id=" + ANON + "; ak_anonymous_id=" + BACKUP
      + "; _ga=GA1.1.123456789.1700000000; session=abcdef0123456789";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/126.0.0.0 Safari/537.36";
  /** The sides run, {@code bench.sides} (default all three; e.g. only audiencekit under a profiler). */
  private static final String[] SIDES = System.getProperty("bench.sides", "bare,floor,audiencekit").split(",");

  /** The trivial servlet: "ok", and a track event when {@code ?track} is given and a filter ran. */
  public static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getQueryString() != null) {
        if (request.getAttribute(AnalyticsContext.ATTRIBUTE) != null) {
          AnalyticsContext.get(request).track("Bench Event");
        } else if (request.getAttribute(FloorFilter.TRACK) instanceof Runnable floorTrack) {
          floorTrack.run();
        }
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
    int seconds = Integer.getInteger("bench.seconds", 8);
    int reps = Integer.getInteger("bench.reps", 3);
    String scenarioLetters = System.getProperty("bench.scenarios", "abc");
    List<Integer> connectionCounts = new ArrayList<>();
    for (String c : System.getProperty("bench.connections", "50").split(",")) {
      connectionCounts.add(Integer.parseInt(c.trim()));
    }
    String flood = System.getProperty("bench.flood", "");
    int floodSeconds = Integer.getInteger("bench.floodSeconds", 5);
    List<String> wrk = new ArrayList<>();
    String wrkCpus = System.getProperty("bench.wrkCpus", "1");
    if (!wrkCpus.isEmpty()) {
      wrk.addAll(List.of("taskset", "-c", wrkCpus));
    }
    wrk.add(System.getProperty("bench.wrk", "wrk"));
    Path work = Path.of("target", "bench");
    Files.createDirectories(work);
    Path newVisitorScript = work.resolve("new-visitor.lua");
    Files.writeString(newVisitorScript, """
        -- a new device per request: no cookies, a distinct User-Agent
        local n = 0
        local seed = math.random(1, 1000000000)
        request = function()
          n = n + 1
          return wrk.format("GET", "/hello", {["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) BenchDevice/" .. seed .. "." .. n})
        end
        """);

    Map<String, Server> servers = new LinkedHashMap<>();
    servers.put("bare", start(null));
    servers.put("floor", start(new FloorFilter()));
    servers.put("audiencekit", start(audiencekit(work)));
    Map<String, String> urls = new LinkedHashMap<>();
    servers.forEach((side, server) -> urls.put(side, "http://127.0.0.1:" + port(server)));

    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "FilterOverheadBench: Jetty 12 ee10, %d alternating runs of %d s per side,"
        + " medians; audiencekit sink=none store=memory; wrk %s; java %s, %d CPU(s) visible to the server, GC %s",
        reps, seconds, String.join(" ", wrk), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), gcNames()));
    report.add("load average before: " + loadAverage());
    System.out.println(report.get(0));

    // Warm-up: every path on every side, not recorded.
    for (String side : SIDES) {
      String base = urls.get(side);
      wrk(wrk, 50, 3, base + "/hello", RETURNING_COOKIE, null);
      wrk(wrk, 50, 3, base + "/hello?track", RETURNING_COOKIE, null);
      wrk(wrk, 50, 3, base + "/hello", null, newVisitorScript);
    }

    String[][] scenarios = {
        {"a", "(a) returning visitor", "/hello", RETURNING_COOKIE, null},
        {"b", "(b) new visitor", "/hello", null, newVisitorScript.toString()},
        {"c", "(c) one track event", "/hello?track", RETURNING_COOKIE, null}};
    report.add(String.format(Locale.ROOT, "%-22s %5s | %-28s | %-28s | %-28s | %6s %6s | %8s %8s | %s",
        "scenario", "conns", "bare req/s p50/p99 µs", "floor req/s p50/p99 µs", "audiencekit req/s p50/p99 µs",
        "floor", "ak", "ak p99+", "floor p99+", "goal: ak overhead ≤ 1.5 × floor's + 3 pts"));
    System.out.println(report.get(report.size() - 1));
    for (int connections : connectionCounts) {
      for (String[] s : scenarios) {
        if (scenarioLetters.indexOf(s[0].charAt(0)) < 0) {
          continue;
        }
        Path script = s[4] == null ? null : Path.of(s[4]);
        Map<String, List<Result>> runs = new LinkedHashMap<>();
        for (String side : SIDES) {
          runs.put(side, new ArrayList<>());
        }
        for (int r = 0; r < reps; r++) {
          for (int i = 0; i < SIDES.length; i++) {
            String side = SIDES[(i + r) % SIDES.length]; // the order rotates: no side always runs first
            runs.get(side).add(wrk(wrk, connections, seconds, urls.get(side) + s[2], s[3], script));
          }
        }
        if (SIDES.length < 3) {
          for (String side : SIDES) {
            Result m = median(runs.get(side));
            report.add(String.format(Locale.ROOT, "%-22s %5d | %s %.0f req/s p50 %.0f µs p99 %.0f µs", s[1],
                connections, side, m.rps, m.p50us, m.p99us));
            System.out.println(report.get(report.size() - 1));
          }
          continue;
        }
        Result bare = median(runs.get("bare"));
        Result floor = median(runs.get("floor"));
        Result ak = median(runs.get("audiencekit"));
        double floorRatio = floor.rps / bare.rps;
        double akRatio = ak.rps / bare.rps;
        double allowed = 1.5 * Math.max(0, 1 - floorRatio) + 0.03;
        report.add(String.format(Locale.ROOT, "%-22s %5d | %9.0f %7.0f %9.0f | %9.0f %7.0f %9.0f | %9.0f %7.0f %9.0f"
            + " | %6.3f %6.3f | %+8.0f %+8.0f | overhead %.1f pts, allowed %.1f: %s", s[1], connections, bare.rps,
            bare.p50us, bare.p99us, floor.rps, floor.p50us, floor.p99us, ak.rps, ak.p50us, ak.p99us, floorRatio, akRatio,
            ak.p99us - bare.p99us, floor.p99us - bare.p99us, 100 * (1 - akRatio), 100 * allowed,
            1 - akRatio <= allowed ? "met" : "MISSED"));
        report.add(String.format(Locale.ROOT, "%-22s %5d   runs req/s: bare %s floor %s audiencekit %s; load %s", "",
            connections, rates(runs.get("bare")), rates(runs.get("floor")), rates(runs.get("audiencekit")),
            loadAverage()));
        System.out.println(report.get(report.size() - 2));
        System.out.println(report.get(report.size() - 1));
      }
    }
    for (Server server : servers.values()) {
      server.stop();
    }

    if (!flood.isEmpty()) {
      floods(report, wrk, flood, floodSeconds, work, newVisitorScript, connectionCounts.get(0));
    }
    Files.write(work.resolve("filter-overhead.txt"), report);
    System.out.println();
    report.forEach(System.out::println);
  }

  /** A fresh audiencekit server per device count, flooded with new visitors until that many ids were minted. */
  private static void floods(List<String> report, List<String> wrk, String counts, int sliceSeconds, Path work,
      Path script, int connections) throws Exception {
    for (String count : counts.split(",")) {
      long target = Long.parseLong(count.trim());
      AnalyticsFilter filter = audiencekit(work);
      Server server = start(filter);
      String url = "http://127.0.0.1:" + port(server) + "/hello";
      Metrics metrics = (Metrics) filterContext(server).getAttribute(AnalyticsFilter.METRICS_ATTRIBUTE);
      System.gc();
      long heapBefore = usedHeap();
      long gcBefore = gcMillis();
      String load = loadAverage();
      List<Result> slices = new ArrayList<>();
      long start = System.nanoTime();
      while (metrics.idsMinted.sum() < target) {
        slices.add(wrk(wrk, connections, sliceSeconds, url, null, script));
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      long gcAfter = gcMillis();
      System.gc();
      long heapAfter = usedHeap();
      double[] p99 = slices.stream().mapToDouble(Result::p99us).sorted().toArray();
      double[] rps = slices.stream().mapToDouble(Result::rps).sorted().toArray();
      Result last = slices.get(slices.size() - 1);
      report.add(String.format(Locale.ROOT, "flood to %,d devices (%d connections, %d slices of %d s, %.0f s): minted %,d;"
          + " req/s median %.0f; p99 per slice median %.0f µs, max %.0f µs, last slice %.0f µs; heap after full GC"
          + " %,d MB (before %,d MB, +%,d B per device); GC time during the flood %,d ms; load before %s",
          target, connections, slices.size(), sliceSeconds, elapsed, metrics.idsMinted.sum(), mid(rps), mid(p99),
          p99[p99.length - 1], last.p99us, heapAfter >> 20, heapBefore >> 20,
          (heapAfter - heapBefore) / Math.max(1, metrics.idsMinted.sum()), gcAfter - gcBefore, load));
      System.out.println(report.get(report.size() - 1));
      server.stop();
      filter.destroy();
    }
  }

  private static AnalyticsFilter audiencekit(Path work) {
    return new AnalyticsFilter() {
      @Override
      public void init(jakarta.servlet.FilterConfig config) throws jakarta.servlet.ServletException {
        super.init(new jakarta.servlet.FilterConfig() {
          private final Map<String, String> params = Map.of("sink", "none",
              "spool.dir", work.resolve("spool").toAbsolutePath().toString());
          @Override public String getFilterName() { return config.getFilterName(); }
          @Override public jakarta.servlet.ServletContext getServletContext() { return config.getServletContext(); }
          @Override public String getInitParameter(String name) { return params.get(name); }
          @Override public java.util.Enumeration<String> getInitParameterNames() {
            return java.util.Collections.enumeration(params.keySet());
          }
        });
      }
    };
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      names.add(gc.getName());
    }
    return String.join("/", names);
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
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

  private static final Map<Server, ServletContextHandler> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static jakarta.servlet.ServletContext filterContext(Server server) {
    return CONTEXTS.get(server).getServletContext();
  }

  private static Server start(Filter filter) throws Exception {
    QueuedThreadPool pool = new QueuedThreadPool(200, 8);
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/hello");
    if (filter != null) {
      FilterHolder holder = new FilterHolder(filter);
      holder.setName("analytics");
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    }
    server.setHandler(context);
    server.start();
    CONTEXTS.put(server, context);
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:.*");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:.*");

  private static Result wrk(List<String> wrk, int connections, int seconds, String url, String cookie, Path script)
      throws IOException, InterruptedException {
    int threads = Math.min(2, connections);
    List<String> command = new ArrayList<>(wrk);
    command.addAll(List.of("-t" + threads, "-c" + connections, "-d" + seconds + "s",
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
    Matcher socketErrors = SOCKET_ERRORS.matcher(output);
    if (socketErrors.find()) { // reported, not fatal: at hundreds of connections wrk's 2 s timeout can fire
      System.out.println("  wrk " + socketErrors.group() + " (" + url + ", " + connections + " connections)");
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
