package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.config.Settings;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.privacy.BotDetector;
import dev.audiencekit.privacy.Fingerprinter;
import dev.audiencekit.store.MemoryStore;
import dev.audiencekit.store.Mirror;
import dev.audiencekit.testing.FakeRequest;
import dev.audiencekit.testing.TestClock;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded population over simulated months, driven through the filter's engine with a test clock: homes
 * with identical phones, offices of identical machines behind one NAT, phones that move between home
 * Wi-Fi and a carrier's shared addresses, Safari's 7-day cap on script-written cookies (analytics.js
 * rewrites the readable cookies, so Safari expires them a week after the last visit), people who clear
 * their cookies, private windows, logins and logouts.
 *
 * <p>It checks the promise that matters, two people are never made one: no request ever sees another
 * person's userId or stored traits (asserted: zero). It reports anonymous false merges (two people's
 * browsers on one anonymousId, which the fingerprint restore can still cause after its dormancy wait)
 * and splits (one browser, several ids) against analytics.js alone on the same trace.
 */
class PopulationSimulationTest {
  private static final long SEED = 20261203L;
  private static final int DAYS = 180;
  private static final String LANG = "en-US,en;q=0.9";

  @TempDir Path temp;
  private final TestClock clock = new TestClock(Instant.parse("2026-01-05T08:00:00Z"));
  private Engine engine;

  @BeforeEach
  void start() {
    Settings settings = Settings.of(Map.of("sink", "none", "spool.dir", "none"));
    Metrics metrics = new Metrics();
    engine = new Engine(settings, metrics, clock,
        Mirror.create(new MemoryStore(1_000_000), settings, metrics, clock),
        Delivery.start(settings, metrics, temp, "simulation"), new Fingerprinter(settings),
        new BotDetector(List.of()), "test");
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  /** One person; {@code userId} when they have an account. */
  record Person(int id, String userId) {
    String email() {
      return "person-" + id + "@example.com";
    }
  }

  enum Kind { HOME_DESKTOP, PHONE, OFFICE }

  /** One browser on one device: its cookie jar, and the analytics.js-only id it would have had. */
  static final class Device {
    final Person person;
    final Kind kind;
    final String userAgent;
    final String homeNet;
    final boolean safari;
    final Map<String, String> cookies = new LinkedHashMap<>();
    final Map<String, Instant> expires = new HashMap<>();
    final Set<String> ids = new HashSet<>();
    String baselineId;
    Instant baselineExpires = Instant.MIN;
    final Set<String> baselineIds = new HashSet<>();

    Device(Person person, Kind kind, String userAgent, String homeNet, boolean safari) {
      this.person = person;
      this.kind = kind;
      this.userAgent = userAgent;
      this.homeNet = homeNet;
      this.safari = safari;
    }
  }

  private final Map<String, Set<Integer>> peopleById = new HashMap<>();
  private final Map<String, Set<Device>> devicesById = new HashMap<>();
  private int identifiedMerges;
  private int requests;

  @Test
  void identifiedPeopleAreNeverMergedAndAnonymousMergesAndSplitsAreReported() {
    Random random = new Random(SEED);
    List<Device> devices = population(random);

    for (int day = 0; day < DAYS; day++) {
      for (Device device : devices) {
        if (random.nextDouble() < 0.004) {
          device.cookies.clear(); // the person clears their cookies (all of them)
          device.expires.clear();
          device.baselineId = null;
        }
        if (random.nextDouble() < visitRate(device)) {
          visit(device, random);
        }
        if (random.nextDouble() < 0.01) {
          privateWindow(device, random);
        }
      }
      clock.advance(Duration.ofDays(1));
    }

    int sharedIds = 0;
    Set<Device> browsersSharing = new HashSet<>();
    for (Map.Entry<String, Set<Integer>> e : peopleById.entrySet()) {
      if (e.getValue().size() > 1) {
        sharedIds++;
        browsersSharing.addAll(devicesById.getOrDefault(e.getKey(), Set.of()));
      }
    }
    int maxPeoplePerId = peopleById.values().stream().mapToInt(Set::size).max().orElse(0);
    long ids = devices.stream().mapToLong(d -> d.ids.size()).sum();
    long baselineIds = devices.stream().mapToLong(d -> d.baselineIds.size()).sum();
    long safariIds = devices.stream().filter(d -> d.safari).mapToLong(d -> d.ids.size()).sum();
    long safariBaseline = devices.stream().filter(d -> d.safari).mapToLong(d -> d.baselineIds.size()).sum();
    System.out.printf("population simulation (seed %d, %d browsers, %d days, %d requests):%n"
            + "  identified merges: %d%n"
            + "  anonymous false merges: %d ids shared by more than one person, %d browsers involved, "
            + "at most %d people on one id%n"
            + "  ids per browser (splits): audiencekit %.2f, analytics.js alone %.2f (Safari: %.2f vs %.2f)%n",
        SEED, devices.size(), DAYS, requests, identifiedMerges, sharedIds, browsersSharing.size(),
        maxPeoplePerId, ids / (double) devices.size(), baselineIds / (double) devices.size(),
        safariIds / (double) devices.stream().filter(d -> d.safari).count(),
        safariBaseline / (double) devices.stream().filter(d -> d.safari).count());

    assertThat(identifiedMerges).as("requests that saw another person's userId or traits").isZero();
    assertThat(ids).as("the server keeps browsers on fewer ids than analytics.js alone").isLessThan(baselineIds);
  }

  private static double visitRate(Device device) {
    return device.kind == Kind.OFFICE ? 0.6 : 0.35;
  }

  /** Homes with identical phones, offices of identical machines, phones on a carrier. */
  private static List<Device> population(Random random) {
    List<Device> devices = new ArrayList<>();
    int personId = 0;
    String[] iphones = {"iPhone; CPU iPhone OS 18_1 like Mac OS X", "iPhone; CPU iPhone OS 18_2 like Mac OS X"};
    for (int home = 0; home < 70; home++) {
      String net = "100.64." + home;
      int people = 1 + random.nextInt(3);
      String familyPhone = iphones[random.nextInt(iphones.length)];
      for (int p = 0; p < people; p++) {
        Person person = new Person(personId++, random.nextDouble() < 0.6 ? "user-" + personId : null);
        // Identical phones in one home: same model, same OS, same browser, same language.
        devices.add(new Device(person, Kind.PHONE, "Mozilla/5.0 (" + familyPhone + ") AppleWebKit/605.1.15 "
            + "Version/18.1 Mobile/15E148 Safari/604.1", net, true));
        if (random.nextDouble() < 0.5) {
          devices.add(new Device(person, Kind.HOME_DESKTOP, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
              + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", net, false));
        }
      }
    }
    for (int office = 0; office < 6; office++) {
      String net = "198.18." + office;
      for (int seat = 0; seat < 10; seat++) {
        Person person = new Person(personId++, random.nextDouble() < 0.8 ? "user-" + personId : null);
        devices.add(new Device(person, Kind.OFFICE, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", net, false));
      }
    }
    return devices;
  }

  /** A few page views in a row, as a person browses; a login or a logout now and then. */
  private void visit(Device device, Random random) {
    String ip = network(device, random) + "." + (10 + random.nextInt(200));
    int pages = 2 + random.nextInt(3);
    String baseline = baseline(device);
    for (int page = 0; page < pages; page++) {
      String action = null;
      if (device.person.userId() != null && device.cookies.get("ajs_user_id") == null && random.nextDouble() < 0.3) {
        action = "login";
      } else if (device.cookies.get("ajs_user_id") != null && random.nextDouble() < 0.03) {
        action = "logout";
      }
      request(device, ip, action);
      if ("logout".equals(action)) {
        device.baselineId = newBaselineId(device); // analytics.js reset() mints a new id too
        baseline = device.baselineId;
      }
      clock.advance(Duration.ofSeconds(20 + random.nextInt(60)));
    }
    device.baselineExpires = clock.instant().plus(device.safari ? Duration.ofDays(7) : Duration.ofDays(365));
    device.baselineIds.add(baseline);
  }

  private String baseline(Device device) {
    if (device.baselineId == null || !clock.instant().isBefore(device.baselineExpires)) {
      device.baselineId = newBaselineId(device);
    }
    return device.baselineId;
  }

  private static String newBaselineId(Device device) {
    String id = UUID.randomUUID().toString();
    device.baselineIds.add(id);
    return id;
  }

  private static String network(Device device, Random random) {
    return switch (device.kind) {
      case HOME_DESKTOP, OFFICE -> device.homeNet;
      // A phone is on its home Wi-Fi half the time, else on one of a carrier's shared address blocks.
      case PHONE -> random.nextBoolean() ? device.homeNet : "172.20." + random.nextInt(4);
    };
  }

  /** A private window: the same device signals, no cookies, one page, then forgotten. */
  private void privateWindow(Device device, Random random) {
    Device window = new Device(device.person, device.kind, device.userAgent, device.homeNet, device.safari);
    request(window, network(device, random) + "." + (10 + random.nextInt(200)), null);
  }

  private void request(Device device, String ip, String action) {
    expire(device);
    FakeRequest fake = new FakeRequest().remoteAddr(ip).uri("/page")
        .header("User-Agent", device.userAgent).header("Accept-Language", LANG);
    if (!device.cookies.isEmpty()) {
      StringBuilder header = new StringBuilder();
      device.cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      fake.header("Cookie", header.toString());
    }
    AnalyticsContext context = engine.open(fake.build());
    List<String> setCookies = new ArrayList<>();
    ResponseCookies cookies = engine.cookies(context, response(setCookies));
    cookies.writeResolved();
    requests++;
    check(device, context);
    if ("login".equals(action)) {
      context.identify(device.person.userId(), Map.of("email", device.person.email()));
    } else if ("logout".equals(action)) {
      context.reset();
    }
    String id = context.user().anonymousId();
    device.ids.add(id);
    peopleById.computeIfAbsent(id, k -> new HashSet<>()).add(device.person.id());
    devicesById.computeIfAbsent(id, k -> new HashSet<>()).add(device);
    check(device, context);
    cookies.beforeCommit();
    engine.complete(context, context.scope(), cookies.written());
    apply(device, setCookies);
  }

  /** Whether this request was shown another person's userId or stored traits. */
  private void check(Device device, AnalyticsContext context) {
    String userId = context.getUserId();
    Object email = context.user().traits().get("email");
    if ((userId != null && !userId.equals(device.person.userId()))
        || (email != null && !email.equals(device.person.email()))) {
      identifiedMerges++;
    }
  }

  private void expire(Device device) {
    device.expires.entrySet().removeIf(e -> {
      boolean gone = !clock.instant().isBefore(e.getValue());
      if (gone) {
        device.cookies.remove(e.getKey());
      }
      return gone;
    });
  }

  private void apply(Device device, List<String> setCookies) {
    for (String header : setCookies) {
      String[] parts = header.split("; ");
      int eq = parts[0].indexOf('=');
      String name = parts[0].substring(0, eq);
      String value = parts[0].substring(eq + 1);
      long maxAge = 0;
      for (String p : parts) {
        if (p.startsWith("Max-Age=")) {
          maxAge = Long.parseLong(p.substring(8));
        }
      }
      if (maxAge <= 0) {
        device.cookies.remove(name);
        device.expires.remove(name);
        continue;
      }
      boolean scriptRewritten = !header.contains("HttpOnly"); // analytics.js rewrites the readable cookies
      Duration life = Duration.ofSeconds(maxAge);
      if (device.safari && scriptRewritten && life.compareTo(Duration.ofDays(7)) > 0) {
        life = Duration.ofDays(7);
      }
      device.cookies.put(name, value);
      device.expires.put(name, clock.instant().plus(life));
    }
  }

  /** A response that only records the {@code Set-Cookie} headers the engine adds. */
  private static HttpServletResponse response(List<String> setCookies) {
    return (HttpServletResponse) Proxy.newProxyInstance(PopulationSimulationTest.class.getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
          case "addHeader" -> {
            if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
              setCookies.add((String) args[1]);
            }
            yield null;
          }
          case "setHeader" -> {
            if ("Set-Cookie".equalsIgnoreCase((String) args[0])) {
              setCookies.clear();
              if (args[1] != null) {
                setCookies.add((String) args[1]);
              }
            }
            yield null;
          }
          case "isCommitted" -> false;
          case "getHeaders" -> List.copyOf(setCookies);
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }
}
