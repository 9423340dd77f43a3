package dev.audiencekit;

import dev.audiencekit.testing.Browser;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated browsers, each with its own cookie jar and User-Agent, running the analytics.js lifecycle
 * against {@code /probe} concurrently, one thread per browser. A round of browser {@code n} is five
 * requests and five events: a page view, identify as {@code user-n-r} with traits
 * {@code owner=n, secret=secret-n-r}, a track, a page view, then reset and a page view. Every
 * response is checked at once (status 200, the userId and traits this browser should have, an
 * anonymousId no other browser ever had); the events are checked afterwards with {@link #checkEvents}.
 */
final class LoadDriver {
  private static final Pattern SECRET = Pattern.compile("secret-(\\d+)-");
  static final int EVENTS_PER_REQUEST = 1;

  private final URI base;
  private final int browsers;
  /** Failures: a request that did not answer 200, or answered with the wrong identity. */
  final List<String> failures = new CopyOnWriteArrayList<>();
  /** anonymousId → the browser that had it. */
  final Map<String, Integer> owners = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  /** Responses whose user traits were empty although the browser had traits (only when not strict). */
  final AtomicInteger traitsUnavailable = new AtomicInteger();
  private final boolean strictTraits;

  /**
   * @param strictTraits whether every response must show the browser's traits; when false, a response
   *     may show no traits at all (a store that failed open: traits live only in the mirror, SPEC §5),
   *     which is counted, but never traits other than the browser's own
   */
  LoadDriver(URI base, int browsers, boolean strictTraits) {
    this.base = base;
    this.browsers = browsers;
    this.strictTraits = strictTraits;
  }

  static String userAgent(int n) {
    return "Mozilla/5.0 (X11; Linux x86_64) LoadBrowser/" + n + " Chrome/126.0.0.0 Safari/537.36";
  }

  /**
   * Runs the browsers until {@code keepGoing} says no for the round about to start (given the round
   * number), each browser finishing its round. Returns the number of requests made.
   */
  int run(IntPredicate keepGoing) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(browsers);
    List<Future<?>> futures = new ArrayList<>();
    for (int n = 0; n < browsers; n++) {
      int browserNumber = n;
      futures.add(pool.submit(() -> lifecycle(browserNumber, keepGoing)));
    }
    pool.shutdown();
    if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
      pool.shutdownNow();
      failures.add("the browsers did not finish within 5 minutes");
    }
    for (Future<?> f : futures) {
      try {
        f.get(1, TimeUnit.SECONDS);
      } catch (Exception e) {
        failures.add("browser thread failed: " + e);
      }
    }
    return requests.get();
  }

  private void lifecycle(int n, IntPredicate keepGoing) {
    Browser browser = new Browser(base).header("User-Agent", userAgent(n));
    for (int round = 0; keepGoing.test(round); round++) {
      String user = "user-" + n + "-" + round;
      String secret = "secret-" + n + "-" + round;
      step(browser, n, "/probe?do=page&name=Home&prop=browser:" + n, null, Map.of());
      step(browser, n, "/probe?do=identify&userId=" + user + "&trait=owner:" + n + "&trait=secret:" + secret,
          user, Map.of("owner", String.valueOf(n), "secret", secret));
      step(browser, n, "/probe?do=track&event=Bought&prop=browser:" + n + "&prop=round:" + round, user,
          Map.of("owner", String.valueOf(n), "secret", secret));
      step(browser, n, "/probe?do=page&name=Cart&prop=browser:" + n, user,
          Map.of("owner", String.valueOf(n), "secret", secret));
      step(browser, n, "/probe?do=reset&do=page&name=Bye&prop=browser:" + n, null, Map.of());
    }
  }

  private void step(Browser browser, int n, String path, String expectedUser, Map<String, String> expectedTraits) {
    Browser.Response response;
    try {
      response = browser.get(path);
    } catch (RuntimeException e) {
      failures.add("browser " + n + " " + path + ": " + e);
      return;
    } finally {
      requests.incrementAndGet();
    }
    if (response.status() != 200) {
      failures.add("browser " + n + " " + path + ": status " + response.status() + " " + response.body());
      return;
    }
    JsonObject state = Json.createReader(new StringReader(response.body())).readObject();
    String anonymousId = state.getString("anonymousId");
    Integer owner = owners.putIfAbsent(anonymousId, n);
    if (owner != null && owner != n) {
      failures.add("browser " + n + " got anonymousId " + anonymousId + " of browser " + owner);
    }
    JsonValue userId = state.get("userId");
    String actualUser = userId == null || userId == JsonValue.NULL ? null : state.getString("userId");
    if (!java.util.Objects.equals(expectedUser, actualUser)) {
      failures.add("browser " + n + " " + path + ": userId " + actualUser + ", expected " + expectedUser);
    }
    Map<String, String> traits = new java.util.TreeMap<>();
    state.getJsonObject("traits").forEach((k, v) -> traits.put(k, ((jakarta.json.JsonString) v).getString()));
    if (!strictTraits && traits.isEmpty() && !expectedTraits.isEmpty()) {
      traitsUnavailable.incrementAndGet();
    } else if (!traits.equals(new java.util.TreeMap<>(expectedTraits))) {
      failures.add("browser " + n + " " + path + ": traits " + traits + ", expected " + expectedTraits);
    }
  }

  /**
   * Checks events (the JSON the collector would receive): each is attributable to one browser (by its
   * {@code browser} property, its {@code owner} trait, or its userId), carries that browser's
   * User-Agent, an anonymousId that browser had, a userId of that browser or none, and no secret of
   * another browser anywhere. Returns the problems found.
   */
  List<String> checkEvents(List<JsonObject> events) {
    List<String> problems = new ArrayList<>();
    for (JsonObject event : events) {
      Integer n = attribute(event);
      if (n == null) {
        problems.add("event attributable to no browser: " + event);
        continue;
      }
      String anonymousId = event.getString("anonymousId");
      if (!Integer.valueOf(n).equals(owners.get(anonymousId))) {
        problems.add("event of browser " + n + " has anonymousId " + anonymousId + " of browser "
            + owners.get(anonymousId) + ": " + event);
      }
      JsonValue userId = event.get("userId");
      if (userId != null && userId != JsonValue.NULL && !event.getString("userId").startsWith("user-" + n + "-")) {
        problems.add("event of browser " + n + " has userId " + userId + ": " + event);
      }
      String agent = event.getJsonObject("context").getString("userAgent", null);
      if (!userAgent(n).equals(agent)) {
        problems.add("event of browser " + n + " has User-Agent " + agent);
      }
      Matcher m = SECRET.matcher(event.toString());
      while (m.find()) {
        if (Integer.parseInt(m.group(1)) != n) {
          problems.add("event of browser " + n + " carries " + m.group() + ": " + event);
        }
      }
    }
    return problems;
  }

  private static Integer attribute(JsonObject event) {
    JsonObject properties = event.getJsonObject("properties");
    if (properties != null && properties.containsKey("browser")) {
      return Integer.valueOf(properties.getString("browser"));
    }
    JsonObject traits = event.getJsonObject("traits");
    if (traits != null && traits.containsKey("owner")) {
      return Integer.valueOf(traits.getString("owner"));
    }
    return null;
  }

  /** Distinct anonymousIds seen, per browser. */
  Map<Integer, Set<String>> idsByBrowser() {
    Map<Integer, Set<String>> byBrowser = new java.util.TreeMap<>();
    owners.forEach((id, n) -> byBrowser.computeIfAbsent(n, k -> new java.util.HashSet<>()).add(id));
    return byBrowser;
  }
}
