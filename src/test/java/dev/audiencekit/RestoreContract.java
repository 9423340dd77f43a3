package dev.audiencekit;

import static dev.audiencekit.FilterContract.json;
import static dev.audiencekit.FilterContract.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.HangingStore;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Getting an identity back when the browser lost its cookies (SPEC §5 steps 2–4), and the privacy and
 * failure rules around it, inside a real container over loopback HTTP, with the memory store and a
 * {@code secret}. Subclasses pick the container: {@code RestoreOnJettyTest},
 * {@code RestoreOnTomcatTest}.
 *
 * <p>Every {@link Browser} is its own device (its own fingerprint) unless a test gives two of them the
 * same User-Agent. A fingerprint restore only happens for an id that came back in a cookie at least once
 * before (as any real second page view does), so that coalescing (step 4) cannot be what answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RestoreContract {
  static final String SECRET = "restore-contract-secret-0123456789";
  static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
  private Container container;

  abstract Container.Kind kind();

  static Map<String, String> params(Map<String, String> extra) {
    Map<String, String> params = TestApp.defaults();
    params.put("secret", SECRET);
    // The dormancy wait is tested on a test clock in IdentitySafetyContract; here restores are immediate.
    params.put("fingerprint.minDormancyHours", "0");
    params.putAll(extra);
    return params;
  }

  @BeforeAll
  void start() {
    container = Container.start(kind(), Container.testWebapp(), new TestApp(params(Map.of())));
  }

  @AfterAll
  void stop() {
    if (container != null) {
      container.close();
    }
  }

  Browser browser() {
    return new Browser(container.base());
  }

  /** A device with its own User-Agent, for tests that give two browsers the same fingerprint. */
  static String uniqueUserAgent() {
    return "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 shared-"
        + UUID.randomUUID();
  }

  /** Runs {@code test} against a container of its own with these init-params on top of the defaults. */
  void withContainer(Map<String, String> extra, Consumer<URI> test) {
    try (Container own = Container.start(kind(), Container.testWebapp(), new TestApp(params(extra)))) {
      test.accept(own.base());
    }
  }

  static JsonObject metrics(URI base) {
    Browser.Response response = new Browser(base).get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  static long counter(URI base, String name) {
    return metrics(base).getJsonNumber(name).longValue();
  }

  /** A browser that has been here twice: its id was minted and then came back in its cookie. */
  static String established(Browser browser, String path) {
    String id = json(browser.get(path)).getString("anonymousId");
    JsonObject again = json(browser.get("/probe"));
    assertThat(again.getString("source")).isEqualTo("COOKIE");
    return id;
  }

  /** The events the memory sink of {@code base} holds now. */
  static List<JsonObject> events(URI base) {
    JsonArray all = Json.createReader(new StringReader(new Browser(base).get("/events").body())).readArray();
    return all.stream().map(JsonValue::asJsonObject).toList();
  }

  static boolean hasEvent(List<JsonObject> events, String name) {
    return events.stream().anyMatch(e -> name.equals(e.getString("event", null)));
  }

  /**
   * Asserts that no {@code track} event named {@code name} was delivered: sends a marker event from
   * another browser afterwards and waits for it (delivery keeps order), then looks.
   */
  static void assertNoEventNamed(URI base, String name) {
    String marker = "Marker " + UUID.randomUUID();
    json(new Browser(base).get("/probe?do=track&event=" + marker.replace(' ', '+')));
    List<JsonObject> events = await().atMost(Duration.ofSeconds(10))
        .until(() -> events(base), list -> hasEvent(list, marker));
    assertThat(events).noneMatch(e -> name.equals(e.getString("event", null)));
  }

  static void assertSetsIdCookies(Browser.Response response, String anonymousId) {
    assertThat(response.setCookie("ajs_anonymous_id")).startsWith("ajs_anonymous_id=" + anonymousId + ";");
    assertThat(response.setCookie("ak_anonymous_id"))
        .matches("ak_anonymous_id=[A-Za-z0-9_-]{22}\\." + java.util.regex.Pattern.quote(anonymousId) + ";.*");
  }

  // ------------------------------------------------------------------ step 2: the backup cookie

  @Test
  void lostReadableCookieIsRestoredFromTheBackupCookieAndRewritten() {
    Browser browser = browser();
    String id = json(browser.get("/probe")).getString("anonymousId");
    long before = counter(container.base(), "restoredFromBackupCookie");
    browser.deleteCookie("ajs_anonymous_id");

    Browser.Response response = browser.get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    assertSetsIdCookies(response, id);
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo(id);
    assertThat(counter(container.base(), "restoredFromBackupCookie")).isEqualTo(before + 1);
  }

  @Test
  void lostUserCookieComesBackFromTheMirrorWithTheBackupCookie() {
    Browser browser = browser();
    String id = json(browser.get("/probe?do=identify&userId=u-backup&trait=plan:pro")).getString("anonymousId");
    browser.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");

    Browser.Response response = browser.get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    assertThat(text(state, "userId")).isEqualTo("u-backup");
    assertThat(state.getJsonObject("traits")).containsEntry("plan", Json.createValue("pro"));
    assertThat(response.setCookie("ajs_user_id")).startsWith("ajs_user_id=u-backup;");
  }

  // ------------------------------------------------------------------ step 3: the mirror, by fingerprint

  @Test
  void anIdentifiedVisitorIsNeverRestoredByFingerprint() {
    Browser browser = browser();
    String id = established(browser, "/probe?do=identify&userId=u-fp&trait=plan:gold");
    long before = counter(container.base(), "restoresRefusedUserData");
    browser.clearCookies();

    JsonObject state = json(browser.get("/probe"));

    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(state, "userId")).isNull();
    assertThat(state.getJsonObject("traits")).isEmpty();
    assertThat(counter(container.base(), "restoresRefusedUserData")).isEqualTo(before + 1);
  }

  @Test
  void anAnonymousVisitorWhoLostEveryCookieIsRestoredByFingerprint() {
    Browser browser = browser();
    String id = established(browser, "/probe");
    long before = counter(container.base(), "restoredFromFingerprint");
    browser.clearCookies();

    Browser.Response response = browser.get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("FINGERPRINT");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    assertThat(text(state, "userId")).isNull();
    assertSetsIdCookies(response, id);
    assertThat(counter(container.base(), "restoredFromFingerprint")).isEqualTo(before + 1);
  }

  @Test
  void sharedFingerprintIsAmbiguousSoALostCookieGetsANewIdNeverTheOthers() {
    String userAgent = uniqueUserAgent();
    Browser first = browser().header("User-Agent", userAgent);
    String firstId = established(first, "/probe?do=identify&userId=u-first");
    String secondId = UUID.randomUUID().toString();
    Browser second = browser().header("User-Agent", userAgent).cookie("ajs_anonymous_id", secondId);
    assertThat(json(second.get("/probe")).getString("source")).isEqualTo("COOKIE");
    long refusedBefore = counter(container.base(), "restoresRefusedAmbiguous");
    second.clearCookies();

    JsonObject state = json(second.get("/probe"));

    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotIn(firstId, secondId);
    assertThat(text(state, "userId")).isNull();
    assertThat(counter(container.base(), "restoresRefusedAmbiguous")).isEqualTo(refusedBefore + 1);
    JsonObject firstAgain = json(first.get("/probe"));
    assertThat(firstAgain.getString("anonymousId")).isEqualTo(firstId);
    assertThat(text(firstAgain, "userId")).isEqualTo("u-first");
  }

  @Test
  void anIdMintedOnAFirstVisitIsNotLinkedSoAnotherBrowserWithTheFingerprintGetsOnlyItsOwnId() {
    String userAgent = uniqueUserAgent();
    Browser first = browser().header("User-Agent", userAgent);
    String firstId = json(first.get("/probe?do=identify&userId=u-just-arrived")).getString("anonymousId");
    String secondId = UUID.randomUUID().toString();
    Browser second = browser().header("User-Agent", userAgent).cookie("ajs_anonymous_id", secondId);
    assertThat(json(second.get("/probe")).getString("source")).isEqualTo("COOKIE");
    second.clearCookies();

    JsonObject state = json(second.get("/probe"));

    // only the second browser ever came back with a cookie, so only its own id is linked
    assertThat(state.getString("source")).isEqualTo("FINGERPRINT");
    assertThat(state.getString("anonymousId")).isEqualTo(secondId).isNotEqualTo(firstId);
    assertThat(text(state, "userId")).isNull();
  }

  // ------------------------------------------------------------------ reset

  @Test
  void afterResetTheNextCookielessRequestIsANewIdentity() {
    Browser browser = browser();
    String id = established(browser, "/probe?do=identify&userId=u-reset&trait=plan:pro");

    Browser.Response logout = browser.get("/logout");

    assertThat(logout.status()).isEqualTo(200);
    assertThat(browser.cookies()).doesNotContainKeys("ajs_anonymous_id", "ajs_user_id");
    assertThat(browser.cookie("ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\."); // a new device key, no id
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("source")).isEqualTo("NEW");
    assertThat(next.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(next, "userId")).isNull();
    assertThat(next.getJsonObject("traits")).isEmpty();
  }

  @Test
  void afterResetLosingTheNewCookiesNeverBringsBackTheOldIdentity() {
    Browser browser = browser();
    String id = established(browser, "/probe?do=identify&userId=u-reset-2");
    String afterReset = json(browser.get("/probe?do=reset")).getString("anonymousId");
    browser.clearCookies();

    JsonObject next = json(browser.get("/probe"));

    assertThat(next.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(next, "userId")).isNull();
    // the id minted by the reset response never came back in a cookie, so nothing links it either
    assertThat(next.getString("anonymousId")).isNotEqualTo(afterReset);
    assertThat(next.getString("source")).isEqualTo("NEW");
  }

  // ------------------------------------------------------------------ step 4: coalescing

  @Test
  void parallelCookielessRequestsOfOneDeviceShareOneId() throws Exception {
    String userAgent = uniqueUserAgent();
    String gate = "/gate?parties=10&gate=" + UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Browser.Response>> futures = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        Browser browser = browser().header("User-Agent", userAgent);
        futures.add(pool.submit(() -> {
          go.await();
          return browser.get(gate);
        }));
      }
      go.countDown();
      List<JsonObject> states = new ArrayList<>();
      for (Future<Browser.Response> f : futures) {
        Browser.Response response = f.get(30, TimeUnit.SECONDS);
        JsonObject state = json(response);
        assertSetsIdCookies(response, state.getString("anonymousId"));
        states.add(state);
      }
      assertThat(states).extracting(s -> s.getString("anonymousId")).containsOnly(
          states.get(0).getString("anonymousId"));
      assertThat(states).extracting(s -> s.getString("source")).filteredOn("NEW"::equals).hasSize(1);
      assertThat(states).extracting(s -> s.getString("source")).filteredOn("COALESCED"::equals).hasSize(9);
    } finally {
      pool.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ privacy signals

  @Test
  void globalPrivacyControlTurnsFingerprintRestoreOff() {
    Browser browser = browser();
    String id = established(browser, "/probe");
    browser.clearCookies().header("Sec-GPC", "1");

    Browser.Response response = browser.get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(state, "userId")).isNull();
    assertThat(state.getBoolean("tracked")).isTrue();
    assertSetsIdCookies(response, state.getString("anonymousId"));
  }

  @Test
  void doNotTrackTurnsFingerprintRestoreOff() {
    Browser browser = browser();
    String id = established(browser, "/probe");
    browser.clearCookies().header("DNT", "1");

    JsonObject state = json(browser.get("/probe"));

    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(state, "userId")).isNull();
  }

  @Test
  void privacySignalWithItsCookiesKeepsTheIdentity() {
    Browser browser = browser();
    String id = established(browser, "/probe");
    browser.header("Sec-GPC", "1");

    JsonObject state = json(browser.get("/probe"));

    assertThat(state.getString("source")).isEqualTo("COOKIE");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
  }

  @Test
  void underNoTrackingAPrivacySignalMeansNoEventsButCookiesAreStillRefreshed() {
    withContainer(Map.of("privacy.gpc", "no-tracking"), base -> {
      Browser browser = new Browser(base);
      String id = established(browser, "/probe");
      browser.header("Sec-GPC", "1");
      String withCookie = "Opted Out " + UUID.randomUUID();

      Browser.Response response = browser.get("/probe?do=track&event=" + withCookie.replace(' ', '+'));

      JsonObject state = json(response);
      assertThat(state.getBoolean("tracked")).isFalse();
      assertThat(state.getString("source")).isEqualTo("COOKIE");
      assertThat(state.getString("anonymousId")).isEqualTo(id);
      assertSetsIdCookies(response, id);

      browser.clearCookies();
      String cookieless = "Opted Out Cookieless " + UUID.randomUUID();
      Browser.Response fresh = browser.get("/probe?do=track&event=" + cookieless.replace(' ', '+'));
      JsonObject freshState = json(fresh);
      assertThat(freshState.getBoolean("tracked")).isFalse();
      assertThat(freshState.getString("source")).isEqualTo("NEW");
      assertThat(freshState.getString("anonymousId")).isNotEqualTo(id);
      assertSetsIdCookies(fresh, freshState.getString("anonymousId"));

      assertNoEventNamed(base, withCookie);
      assertNoEventNamed(base, cookieless);
      assertThat(counter(base, "eventsDiscarded")).isGreaterThanOrEqualTo(2);
    });
  }

  @Test
  void underPrivacyGpcIgnoreTheSignalDoesNotStopRestore() {
    withContainer(Map.of("privacy.gpc", "ignore"), base -> {
      Browser browser = new Browser(base);
      String id = established(browser, "/probe");
      browser.clearCookies().header("Sec-GPC", "1").header("DNT", "1");

      JsonObject state = json(browser.get("/probe"));

      assertThat(state.getString("source")).isEqualTo("FINGERPRINT");
      assertThat(state.getString("anonymousId")).isEqualTo(id);
      assertThat(state.getBoolean("tracked")).isTrue();
    });
  }

  @Test
  void googlebotGetsNoCookieAndSendsNoEvent() {
    Browser bot = browser().header("User-Agent", GOOGLEBOT);
    long skippedBefore = counter(container.base(), "botsSkipped");
    String event = "Crawled " + UUID.randomUUID();

    Browser.Response response = bot.get("/probe?do=page&name=Home&do=track&event=" + event.replace(' ', '+'));

    JsonObject state = json(response);
    assertThat(state.getBoolean("tracked")).isFalse();
    assertThat(response.setCookies()).isEmpty();
    assertThat(bot.cookies()).isEmpty();
    assertNoEventNamed(container.base(), event);
    assertThat(events(container.base())).noneMatch(e -> state.getString("anonymousId").equals(e.getString("anonymousId")));
    assertThat(counter(container.base(), "botsSkipped")).isGreaterThan(skippedBefore);
  }

  // ------------------------------------------------------------------ a store that is down (fail open)

  /**
   * A visit, an identify, a lost readable cookie and a lost set of cookies: every answer is a 200 with
   * the cookies, the backup cookie still restores, and the store's failures are counted.
   */
  static void everyRequestAnswersWithCookies(URI base) {
    Browser browser = new Browser(base);
    List<Long> millis = new ArrayList<>();

    long start = System.nanoTime();
    Browser.Response first = browser.get("/probe?do=page&name=Home");
    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    String id = json(first).getString("anonymousId");
    assertSetsIdCookies(first, id);

    start = System.nanoTime();
    Browser.Response identified = browser.get("/probe?do=identify&userId=u-down");
    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    assertThat(text(json(identified), "userId")).isEqualTo("u-down");
    assertSetsIdCookies(identified, id);
    assertThat(identified.setCookie("ajs_user_id")).startsWith("ajs_user_id=u-down;");

    browser.deleteCookie("ajs_anonymous_id");
    start = System.nanoTime();
    Browser.Response backup = browser.get("/probe");
    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    JsonObject restored = json(backup);
    assertThat(restored.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(restored.getString("anonymousId")).isEqualTo(id);
    assertThat(text(restored, "userId")).isEqualTo("u-down");
    assertSetsIdCookies(backup, id);

    for (int i = 0; i < 5; i++) {
      browser.clearCookies();
      start = System.nanoTime();
      Browser.Response lost = browser.get("/probe?do=track&event=Lost");
      millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      JsonObject state = json(lost);
      assertThat(state.getString("source")).isIn("NEW", "COALESCED");
      assertSetsIdCookies(lost, state.getString("anonymousId"));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> counter(base, "storeErrors") > 0);
    // store.timeoutMs is 50: nobody waits on the store for long (generous bound for a loaded machine)
    assertThat(millis).allMatch(ms -> ms < 2_000, "every request under 2 s");
  }

  @Test
  void storeThatThrowsNeverFailsARequest() {
    withContainer(Map.of("store", "dev.audiencekit.testing.BrokenStore"), RestoreContract::everyRequestAnswersWithCookies);
  }

  @Test
  void storeThatHangsNeverHoldsARequestPastTheTimeout() {
    HangingStore.rearm();
    withContainer(Map.of("store", "dev.audiencekit.testing.HangingStore"), base -> {
      try {
        everyRequestAnswersWithCookies(base);
      } finally {
        HangingStore.releaseAll(); // lets the writer thread go, so the container can stop
      }
    });
  }

  @Test
  void unreachablePostgresqlNeverFailsARequest() {
    String url = "jdbc:postgresql://127.0.0.1:" + freePort() + "/postgres?connectTimeout=1";
    withContainer(Map.of("store", url, "store.user", "audiencekit"), RestoreContract::everyRequestAnswersWithCookies);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
