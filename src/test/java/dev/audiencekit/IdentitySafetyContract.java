package dev.audiencekit;

import static dev.audiencekit.FilterContract.json;
import static dev.audiencekit.FilterContract.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import dev.audiencekit.testing.TestClock;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stored identity belongs to its browser. Each test is an attack on the identity of a "victim"
 * browser by another browser that knows (or guesses) what any script on the page, any analytics
 * destination or any sibling subdomain knows: the victim's anonymousId. Or it is a second device with
 * the same fingerprint (an identical phone in the same home). The attacker must get nothing stored and
 * change nothing stored. Time runs on a {@link TestClock} handed to the filter through the servlet
 * context, so waits of a day take no time. Subclasses pick the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdentitySafetyContract {
  private final TestClock clock = TestClock.start();
  private Container container;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    container = Container.start(kind(), Container.testWebapp(), new TestApp(TestApp.defaults(), clock));
  }

  @AfterAll
  void stop() {
    if (container != null) {
      container.close();
    }
  }

  private Browser browser() {
    return new Browser(container.base());
  }

  private static String sharedUserAgent() {
    return "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 home-"
        + UUID.randomUUID();
  }

  /** A victim that has logged in and whose email is stored on the server; returns its anonymousId. */
  private static String loggedInVictim(Browser victim) {
    String id = text(json(victim.get("/probe")), "anonymousId");
    JsonObject state = json(victim.get("/probe?do=identify&userId=victim-42&trait=email:victim@example.com"));
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    return id;
  }

  private static String param(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ an anonymousId is not a key

  @Test
  void presentingAVictimsAnonymousIdRevealsNoStoredTraits() {
    String victimId = loggedInVictim(browser());

    Browser attacker = browser().cookie("ajs_anonymous_id", victimId);
    JsonObject seen = json(attacker.get("/probe"));

    assertThat(seen.getString("anonymousId")).isEqualTo(victimId);
    assertThat(seen.getJsonObject("traits")).isEmpty();
    assertThat(seen.isNull("userId")).isTrue();
  }

  @Test
  void presentingAVictimsIdInTheBackupCookieRevealsNoUserIdAndSetsNoUserCookie() {
    String victimId = loggedInVictim(browser());

    Browser attacker = browser().cookie("ak_anonymous_id", victimId);
    Browser.Response response = attacker.get("/probe");
    JsonObject seen = json(response);

    assertThat(seen.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(seen.isNull("userId")).isTrue();
    assertThat(seen.getJsonObject("traits")).isEmpty();
    assertThat(response.setCookie("ajs_user_id")).isNull();
    assertThat(attacker.cookie("ajs_user_id")).isNull();
  }

  @Test
  void theOwnerGetsItsIdentityBackFromTheBackupCookie() {
    Browser victim = browser();
    String victimId = loggedInVictim(victim);
    victim.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");

    JsonObject back = json(victim.get("/probe"));

    assertThat(back.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(back.getString("anonymousId")).isEqualTo(victimId);
    assertThat(back.getString("userId")).isEqualTo("victim-42");
    assertThat(back.getJsonObject("traits").getString("email")).isEqualTo("victim@example.com");
  }

  @Test
  void theBackupCookieCarriesADeviceKeyAndTheId() {
    Browser browser = browser();
    String id = text(json(browser.get("/probe")), "anonymousId");
    assertThat(browser.cookie("ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\." + id);
    String key = browser.cookie("ak_anonymous_id").substring(0, 22);

    browser.get("/probe?do=identify&userId=u-1");
    assertThat(browser.cookie("ak_anonymous_id")).startsWith(key + ".");
  }

  @Test
  void resetGivesTheBrowserANewDeviceKeySoTheNextUserOwnsNothing() {
    Browser shared = browser();
    loggedInVictim(shared);
    String key = shared.cookie("ak_anonymous_id").substring(0, 22);

    shared.get("/logout");
    JsonObject next = json(shared.get("/probe"));

    assertThat(shared.cookie("ak_anonymous_id").substring(0, 22)).isNotEqualTo(key);
    assertThat(next.isNull("userId")).isTrue();
    assertThat(next.getJsonObject("traits")).isEmpty();
  }

  // ------------------------------------------------------------------ nobody else writes a record

  @Test
  void aLegacyUserCookieWithAVictimsIdDoesNotReplaceTheVictimsRecord() {
    Browser victim = browser();
    String victimId = loggedInVictim(victim);

    String mallory = "{\"id\":\"mallory\",\"traits\":{\"email\":\"mallory@example.net\"}}";
    Browser attacker = browser().cookie("ajs_anonymous_id", victimId).cookie("ajs_user", param(mallory));
    JsonObject attackerView = json(attacker.get("/probe"));
    assertThat(attackerView.getString("userId")).isEqualTo("mallory"); // used for the attacker's request only

    JsonObject victimView = json(victim.get("/probe?do=identify"));
    assertThat(victimView.getString("userId")).isEqualTo("victim-42");
    assertThat(victimView.getJsonObject("traits").getString("email")).isEqualTo("victim@example.com");
  }

  @Test
  void anIdentifyByABrowserThatDoesNotOwnTheRecordLeavesItAsItIs() {
    Browser victim = browser();
    String victimId = loggedInVictim(victim);

    Browser attacker = browser().cookie("ajs_anonymous_id", victimId);
    JsonObject attackerView = json(attacker.get("/probe?do=identify&userId=mallory&trait=email:m@example.net"));
    assertThat(attackerView.getJsonObject("traits").getString("email")).isEqualTo("m@example.net");

    victim.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
    JsonObject victimView = json(victim.get("/probe"));
    assertThat(victimView.getString("userId")).isEqualTo("victim-42");
    assertThat(victimView.getJsonObject("traits").getString("email")).isEqualTo("victim@example.com");
  }

  @Test
  void aLogoutWithAVictimsIdDoesNotDeleteTheVictimsRecord() {
    Browser victim = browser();
    String victimId = loggedInVictim(victim);

    Browser attacker = browser().cookie("ajs_anonymous_id", victimId);
    attacker.get("/logout");

    victim.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
    JsonObject victimView = json(victim.get("/probe"));
    assertThat(victimView.getString("userId")).isEqualTo("victim-42");
    assertThat(victimView.getJsonObject("traits").getString("email")).isEqualTo("victim@example.com");
  }

  // ------------------------------------------------------------------ a fingerprint never merges people

  @Test
  void aSecondDeviceWithTheSameFingerprintIsNeverHandedALoggedInIdentity() {
    String ua = sharedUserAgent();
    Browser phoneA = browser().header("User-Agent", ua);
    String victimId = loggedInVictim(phoneA);
    phoneA.get("/probe"); // came back with its cookies: linked to the fingerprint

    Browser phoneB = browser().header("User-Agent", ua);
    JsonObject first = json(phoneB.get("/probe"));
    assertThat(first.getString("anonymousId")).isNotEqualTo(victimId);
    assertThat(first.isNull("userId")).isTrue();

    clock.advance(Duration.ofDays(3)); // long past the dormancy wait
    Browser phoneC = browser().header("User-Agent", ua);
    JsonObject later = json(phoneC.get("/probe"));
    assertThat(later.getString("anonymousId")).isNotEqualTo(victimId);
    assertThat(later.isNull("userId")).isTrue();
    assertThat(later.getJsonObject("traits")).isEmpty();
  }

  @Test
  void anAnonymousIdInUseIsNotRestoredToAnotherDeviceBeforeTheDormancyWait() {
    String ua = sharedUserAgent();
    Browser phoneA = browser().header("User-Agent", ua);
    String id = text(json(phoneA.get("/probe")), "anonymousId");
    phoneA.get("/probe"); // in use, with its cookies

    clock.advance(Duration.ofHours(1));
    Browser phoneB = browser().header("User-Agent", ua);
    JsonObject b = json(phoneB.get("/probe"));

    assertThat(b.getString("anonymousId")).isNotEqualTo(id);
    assertThat(b.getString("source")).isEqualTo("NEW");
  }

  @Test
  void aBrowserThatLostItsCookiesGetsItsAnonymousIdBackAfterTheDormancyWait() {
    String ua = sharedUserAgent();
    Browser phone = browser().header("User-Agent", ua);
    String id = text(json(phone.get("/probe")), "anonymousId");
    phone.get("/probe");

    clock.advance(Duration.ofHours(25));
    phone.clearCookies();
    JsonObject back = json(phone.get("/probe"));

    assertThat(back.getString("source")).isEqualTo("FINGERPRINT");
    assertThat(back.getString("anonymousId")).isEqualTo(id);
  }

  @Test
  void aSecondBrowserComingBackWithItsCookiesMakesTheFingerprintAmbiguous() {
    String ua = sharedUserAgent();
    Browser phoneA = browser().header("User-Agent", ua);
    String a = text(json(phoneA.get("/probe")), "anonymousId");
    phoneA.get("/probe");
    Browser phoneB = browser().header("User-Agent", ua);
    String b = text(json(phoneB.get("/probe")), "anonymousId");
    phoneB.get("/probe"); // B is linked too, although it never restored anything

    clock.advance(Duration.ofHours(25));
    JsonObject third = json(browser().header("User-Agent", ua).get("/probe"));

    assertThat(third.getString("source")).isEqualTo("NEW");
    assertThat(third.getString("anonymousId")).isNotIn(a, b);
  }

  // ------------------------------------------------------------------ bounds

  @Test
  void anIdTooLargeForACookieIsUsedButNotWrittenAndTheBrowserIsNotLockedOut() {
    Browser browser = browser();
    browser.get("/probe");
    String key = browser.cookie("ak_anonymous_id").substring(0, 22);
    String huge = "€".repeat(256); // 2,304 bytes percent-encoded
    JsonObject state = json(browser.get("/probe?do=anon&anonymousId=" + param(huge)
        + "&do=identify&userId=" + param(huge)));

    assertThat(state.getString("anonymousId")).isEqualTo(huge);
    assertThat(browser.cookie("ajs_anonymous_id")).isNull();
    assertThat(browser.cookie("ajs_user_id")).isNull();
    assertThat(browser.cookie("ak_anonymous_id")).isEqualTo(key + ".");
    int cookieBytes = browser.cookies().entrySet().stream()
        .mapToInt(e -> e.getKey().length() + e.getValue().length() + 2).sum();
    assertThat(cookieBytes).isLessThan(4096);
    assertThat(browser.get("/probe").status()).isEqualTo(200);
  }

  @Test
  void traitsOverTheStoredBoundStillReachTheEventButAreNotStored() {
    Browser browser = browser();
    browser.get("/probe?do=identify&userId=big-1&trait=plan:small");
    String big = "x".repeat(17_000);
    json(browser.post("/probe", Map.of("do", "identify", "trait", "essay:" + big)));

    browser.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
    JsonObject back = json(browser.get("/probe"));
    assertThat(back.getJsonObject("traits").getString("plan")).isEqualTo("small");
    assertThat(back.getJsonObject("traits").containsKey("essay")).isFalse();
    List<JsonObject> events = await().atMost(Duration.ofSeconds(10)).until(() -> RestoreContract.events(container.base()),
        list -> list.stream().anyMatch(e -> e.getJsonObject("traits") != null
            && e.getJsonObject("traits").containsKey("essay")));
    assertThat(events).isNotEmpty();
  }

  @Test
  void refusalsAreCountedByReason() {
    String victimId = loggedInVictim(browser());
    long before = RestoreContract.counter(container.base(), "writesRefusedNotOwner");
    browser().cookie("ajs_anonymous_id", victimId).get("/probe?do=identify&userId=mallory");
    assertThat(RestoreContract.counter(container.base(), "writesRefusedNotOwner")).isEqualTo(before + 1);
  }

}
