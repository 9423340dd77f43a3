package dev.audiencekit;

import static dev.audiencekit.FilterContract.json;
import static dev.audiencekit.RestoreContract.counter;
import static dev.audiencekit.RestoreContract.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Consent in a real container: the identity waits for the required category, every event carries
 * {@code context.consent.categoryPreferences}, a change is reported once, a revocation forgets the
 * identity. The shared container reads the site's own banner cookie ({@code consent=cookie:site_consent},
 * {@code consent.required=Analytics}, events dropped until then); other setups get a container of their
 * own. Subclasses pick the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsentContract {
  static final String UPDATED = "Segment Consent Preference Updated";
  private Container container;

  abstract Container.Kind kind();

  static Map<String, String> params(Map<String, String> extra) {
    Map<String, String> params = TestApp.defaults();
    params.put("consent", "cookie:site_consent");
    params.put("consent.required", "Analytics");
    params.put("consent.gpcDenies", "Advertising");
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

  void withContainer(Map<String, String> extra, Consumer<URI> test) {
    try (Container own = Container.start(kind(), Container.testWebapp(), new TestApp(params(extra)))) {
      test.accept(own.base());
    }
  }

  private Browser browser() {
    return new Browser(container.base());
  }

  private static String banner(String json) {
    return URLEncoder.encode(json, StandardCharsets.UTF_8);
  }

  private static String marker() {
    return "Consent Marker " + UUID.randomUUID();
  }

  private static String track(String event) {
    return "/probe?do=track&event=" + event.replace(' ', '+');
  }

  /**
   * Asserts that no event named {@code name} was delivered: a visitor who consented sends a marker
   * afterwards, and delivery keeps order.
   */
  static void assertNoEventNamed(URI base, String name) {
    String marker = marker();
    new Browser(base).cookie("site_consent", banner("{\"Analytics\":true}")).get(track(marker));
    List<JsonObject> events = await().atMost(Duration.ofSeconds(10))
        .until(() -> events(base), list -> list.stream().anyMatch(e -> marker.equals(e.getString("event", null))));
    assertThat(events).noneMatch(e -> name.equals(e.getString("event", null)));
  }

  private static List<JsonObject> eventsOf(URI base, String anonymousId) {
    return events(base).stream().filter(e -> anonymousId.equals(e.getString("anonymousId", null))).toList();
  }

  private static List<String> identityCookies(Browser.Response response) {
    return response.setCookies().stream()
        .filter(h -> h.startsWith("ajs_") || h.startsWith("ak_anonymous_id")).toList();
  }

  // ------------------------------------------------------------------ before a decision

  @Test
  void anUndecidedVisitorGetsNoIdentityCookieAndItsEventsAreDropped() {
    Browser browser = browser();
    String event = marker();

    Browser.Response response = browser.get(track(event));

    JsonObject state = json(response);
    assertThat(state.getBoolean("tracked")).isFalse();
    assertThat(identityCookies(response)).isEmpty();
    assertThat(response.setCookie("ak_consent")).isNull();
    assertThat(json(browser.get("/probe")).getString("anonymousId")).isNotEqualTo(state.getString("anonymousId"));
    assertNoEventNamed(container.base(), event);
  }

  @Test
  void aVisitorWhoDeclinedGetsNoIdentityCookieNoFingerprintAndNoEvents() {
    Browser browser = browser().cookie("site_consent", banner("{\"Analytics\":false,\"Advertising\":false}"));
    String event = marker();

    Browser.Response response = browser.get(track(event));

    assertThat(identityCookies(response)).isEmpty();
    assertThat(response.setCookie("ak_consent")).startsWith("ak_consent=0.").contains("HttpOnly");
    assertThat(json(response).getBoolean("tracked")).isFalse();
    assertNoEventNamed(container.base(), event);
    assertNoEventNamed(container.base(), UPDATED + json(response).getString("anonymousId"));
  }

  // ------------------------------------------------------------------ granted

  @Test
  void acceptingSetsTheCookiesStampsEveryEventAndReportsTheChangeOnce() {
    Browser browser = browser();
    browser.get("/probe");
    browser.cookie("site_consent", banner("{\"Analytics\":true,\"Advertising\":false}"));
    String event = marker();

    Browser.Response granted = browser.get(track(event));
    String id = json(granted).getString("anonymousId");
    assertThat(granted.setCookie("ajs_anonymous_id")).startsWith("ajs_anonymous_id=" + id + ";");
    assertThat(granted.setCookie("ak_anonymous_id")).contains("." + id + ";");
    browser.get(track(marker())); // the same preferences again: no second update

    List<JsonObject> mine = await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(container.base(), id),
        list -> list.stream().anyMatch(e -> event.equals(e.getString("event", null))));
    assertNoEventNamed(container.base(), "nothing-" + UUID.randomUUID()); // lets later events arrive
    mine = eventsOf(container.base(), id);
    assertThat(mine).filteredOn(e -> UPDATED.equals(e.getString("event", null))).hasSize(1);
    for (JsonObject e : mine) {
      JsonObject preferences = e.getJsonObject("context").getJsonObject("consent").getJsonObject("categoryPreferences");
      assertThat(preferences.getBoolean("Analytics")).isTrue();
      assertThat(preferences.getBoolean("Advertising")).isFalse();
    }
  }

  @Test
  void aChangeOfPreferencesIsReportedOnceMore() {
    Browser browser = browser().cookie("site_consent", banner("{\"Analytics\":true,\"Advertising\":false}"));
    String id = json(browser.get("/probe")).getString("anonymousId");
    browser.cookie("site_consent", banner("{\"Analytics\":true,\"Advertising\":true}"));
    browser.get("/probe");
    browser.get("/probe");

    await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(container.base(), id).stream()
        .filter(e -> UPDATED.equals(e.getString("event", null))).count() == 2);
    assertNoEventNamed(container.base(), "nothing-" + UUID.randomUUID());
    assertThat(eventsOf(container.base(), id)).filteredOn(e -> UPDATED.equals(e.getString("event", null))).hasSize(2);
  }

  @Test
  void globalPrivacyControlDeniesTheNamedCategoryWhateverTheCookieSays() {
    Browser browser = browser().header("Sec-GPC", "1")
        .cookie("site_consent", banner("{\"Analytics\":true,\"Advertising\":true}"));

    JsonObject state = json(browser.get("/probe"));

    assertThat(state.getJsonObject("consent").getBoolean("Advertising")).isFalse();
    assertThat(state.getJsonObject("consent").getBoolean("Analytics")).isTrue();
    assertThat(state.getBoolean("tracked")).isTrue();
  }

  // ------------------------------------------------------------------ revoked

  @Test
  void revokingDeletesTheCookiesTheRecordAndEveryWayBack() {
    Browser browser = browser().cookie("site_consent", banner("{\"Analytics\":true}"));
    String id = json(browser.get("/probe?do=identify&userId=u-consent&trait=plan:pro")).getString("anonymousId");
    browser.get("/probe"); // back with its cookie: linked to the fingerprint
    long revocations = counter(container.base(), "consentRevocations");

    browser.cookie("site_consent", banner("{\"Analytics\":false}"));
    Browser.Response revoked = browser.get("/probe");

    assertThat(revoked.setCookie("ajs_anonymous_id")).contains("Max-Age=0");
    assertThat(revoked.setCookie("ajs_user_id")).contains("Max-Age=0");
    assertThat(revoked.setCookie("ak_anonymous_id")).contains("Max-Age=0");
    assertThat(browser.cookies()).doesNotContainKeys("ajs_anonymous_id", "ajs_user_id", "ak_anonymous_id");
    assertThat(counter(container.base(), "consentRevocations")).isEqualTo(revocations + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(container.base(), id).stream()
        .anyMatch(e -> UPDATED.equals(e.getString("event", null))
            && !e.getJsonObject("context").getJsonObject("consent").getJsonObject("categoryPreferences")
                .getBoolean("Analytics")));

    // granted again, with every cookie gone: neither the fingerprint nor anything stored brings it back
    browser.cookie("site_consent", banner("{\"Analytics\":true}"));
    JsonObject again = json(browser.get("/probe"));
    assertThat(again.getString("anonymousId")).isNotEqualTo(id);
    assertThat(again.getString("source")).isEqualTo("NEW");
    assertThat(again.isNull("userId")).isTrue();
    assertThat(again.getJsonObject("traits")).isEmpty();
  }

  // ------------------------------------------------------------------ the API

  @Test
  void aDecisionRecordedByTheApplicationAppliesAtOnceAndWritesTheBannerCookie() {
    Browser browser = browser();
    Browser.Response response = browser.get("/probe?do=consent&choice=Analytics:true&choice=Advertising:false");

    JsonObject state = json(response);
    assertThat(state.getBoolean("tracked")).isTrue();
    assertThat(response.setCookie("ajs_anonymous_id")).startsWith("ajs_anonymous_id=" + state.getString("anonymousId"));
    assertThat(response.setCookie("site_consent")).doesNotContain("HttpOnly");
    assertThat(json(browser.get("/probe")).getString("anonymousId")).isEqualTo(state.getString("anonymousId"));
  }

  // ------------------------------------------------------------------ other setups

  @Test
  void underCookielessEventsGoOutWithAPerRequestIdATruncatedAddressAndNoUserId() {
    withContainer(Map.of("consent.before", "cookieless", "ip", "collect"), base -> {
      Browser browser = new Browser(base);
      String event = marker();
      Browser.Response response = browser.get(track(event) + "&do=identify&userId=u-waiting");
      assertThat(identityCookies(response)).isEmpty();
      String id = json(response).getString("anonymousId");
      JsonObject sent = await().atMost(Duration.ofSeconds(10)).until(() -> events(base).stream()
          .filter(e -> event.equals(e.getString("event", null))).findFirst().orElse(null), e -> e != null);
      assertThat(sent.getString("anonymousId")).isEqualTo(id);
      assertThat(sent.isNull("userId")).isTrue();
      assertThat(sent.getJsonObject("context").getString("ip")).isEqualTo("127.0.0.0");
      assertThat(json(browser.get("/probe")).getString("anonymousId")).isNotEqualTo(id);
    });
  }

  @Test
  void oneTrustGroupsAreMappedToCategories() {
    withContainer(Map.of("consent", "onetrust", "consent.categories", "C0002=Analytics,C0004=Advertising"), base -> {
      Browser browser = new Browser(base).cookie("OptanonConsent",
          URLEncoder.encode("isGpcEnabled=0&datestamp=Thu+Dec+03+2026&groups=C0001:1,C0002:1,C0004:0",
              StandardCharsets.UTF_8));
      Browser.Response response = browser.get("/probe");
      JsonObject state = json(response);
      assertThat(state.getBoolean("tracked")).isTrue();
      assertThat(state.getJsonObject("consent").getBoolean("Analytics")).isTrue();
      assertThat(state.getJsonObject("consent").getBoolean("Advertising")).isFalse();
      assertThat(state.getJsonObject("consent").getBoolean("C0001")).isTrue();
      assertThat(response.setCookie("ajs_anonymous_id")).isNotNull();
    });
  }

  @Test
  void hostileConsentCookiesAreNotADecisionAndNeverAnError() {
    List<String> hostile = List.of("%7B", "{\"Analytics\":\"yes\"}", "x".repeat(5000), "%E0%A4%A8%",
        "{\"Analytics\":" + "[".repeat(3000), "%7B%22Analytics%22%3Atrue%01%7D", "[true]", "null");
    for (String value : hostile) {
      Browser browser = browser().cookie("site_consent", value);
      Browser.Response response = browser.get("/probe");
      assertThat(response.status()).as(value.length() > 40 ? value.substring(0, 40) : value).isEqualTo(200);
      assertThat(json(response).getBoolean("tracked")).isFalse();
      assertThat(identityCookies(response)).isEmpty();
    }
  }
}
