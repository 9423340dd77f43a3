package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The filter inside a real container, over loopback HTTP with a cookie-keeping client. Subclasses
 * pick the container: {@code FilterOnJettyTest}, {@code FilterOnTomcatTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterContract {
  static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  private Container container;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    container = Container.start(kind(), Container.testWebapp(), new TestApp(TestApp.defaults()));
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

  static JsonObject json(Browser.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  static String text(JsonObject json, String key) {
    JsonValue value = json.get(key);
    return value == null || value == JsonValue.NULL ? null : json.getString(key);
  }

  /** Waits until the memory sink holds an event matching {@code filter}, and returns all that match. */
  List<JsonObject> eventsWhere(Predicate<JsonObject> filter, int atLeast) {
    Browser reader = browser();
    return await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonArray all = Json.createReader(new StringReader(reader.get("/events").body())).readArray();
      return all.stream().map(JsonValue::asJsonObject).filter(filter).collect(Collectors.toList());
    }, list -> list.size() >= atLeast);
  }

  static Predicate<JsonObject> anonymousId(String id) {
    return event -> id.equals(event.getString("anonymousId"));
  }

  // ------------------------------------------------------------------ first and return visits

  @Test
  void firstVisitMintsUuidAndSetsReadableAndBackupCookies() {
    Browser browser = browser();
    Browser.Response response = browser.get("/probe");
    JsonObject state = json(response);
    assertThat(state.getString("anonymousId")).matches(UUID_PATTERN);
    assertThat(state.getString("source")).isEqualTo("NEW");
    String readable = response.setCookie("ajs_anonymous_id");
    assertThat(readable).startsWith("ajs_anonymous_id=" + state.getString("anonymousId") + ";")
        .contains("Path=/").contains("Max-Age=31536000").contains("Expires=").contains("SameSite=Lax")
        .doesNotContain("HttpOnly").doesNotContain("Domain=");
    assertThat(response.setCookie("ak_anonymous_id"))
        .matches("ak_anonymous_id=[A-Za-z0-9_-]{22}\\." + state.getString("anonymousId") + ";.*")
        .contains("HttpOnly").contains("Max-Age=34560000");
  }

  @Test
  void returnVisitKeepsTheIdFromTheCookieAndRefreshesIt() {
    Browser browser = browser();
    String first = json(browser.get("/probe")).getString("anonymousId");
    Browser.Response again = browser.get("/probe");
    JsonObject state = json(again);
    assertThat(state.getString("anonymousId")).isEqualTo(first);
    assertThat(state.getString("source")).isEqualTo("COOKIE");
    assertThat(again.setCookie("ajs_anonymous_id")).startsWith("ajs_anonymous_id=" + first + ";");
  }

  @Test
  void lostReadableCookieIsRestoredFromTheBackupCookie() {
    Browser browser = browser();
    String first = json(browser.get("/probe")).getString("anonymousId");
    browser.deleteCookie("ajs_anonymous_id");
    Browser.Response response = browser.get("/probe");
    JsonObject state = json(response);
    assertThat(state.getString("anonymousId")).isEqualTo(first);
    assertThat(state.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo(first);
  }

  @Test
  void readableCookieWinsOverADisagreeingBackupWhichIsRewritten() {
    Browser browser = browser();
    json(browser.get("/probe"));
    browser.cookie("ajs_anonymous_id", "set-by-the-browser-library");
    JsonObject state = json(browser.get("/probe"));
    assertThat(state.getString("anonymousId")).isEqualTo("set-by-the-browser-library");
    assertThat(browser.cookie("ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\.set-by-the-browser-library");
  }

  // ------------------------------------------------------------------ the seed flow

  @Test
  void shopLifecycleFromAnonymousToKnownAndBackToAnonymous() {
    Browser browser = browser();
    JsonObject viewed = json(browser.get("/probe?do=page&name=Home"));
    String anonymous = viewed.getString("anonymousId");
    json(browser.get("/probe?do=track&event=Product+Added&prop=sku:B-1"));
    JsonObject loggedIn = json(browser.get("/probe?do=identify&userId=u-42&trait=email:ada@example.com"));
    assertThat(loggedIn.getString("anonymousId")).isEqualTo(anonymous);
    assertThat(loggedIn.getString("userId")).isEqualTo("u-42");
    assertThat(browser.cookie("ajs_user_id")).isEqualTo("u-42");
    json(browser.get("/probe?do=track&event=Checkout+Started"));
    JsonObject loggedOut = json(browser.get("/probe?do=reset"));
    assertThat(text(loggedOut, "userId")).isNull();
    assertThat(loggedOut.getString("anonymousId")).isNotEqualTo(anonymous);
    assertThat(browser.cookie("ajs_user_id")).isNull();
    JsonObject after = json(browser.get("/probe?do=page&name=Home"));
    assertThat(after.getString("anonymousId")).isEqualTo(loggedOut.getString("anonymousId"));
    assertThat(text(after, "userId")).isNull();

    List<JsonObject> events = eventsWhere(anonymousId(anonymous), 4);
    assertThat(events).extracting(e -> e.getString("type"))
        .containsExactly("page", "track", "identify", "track");
    assertThat(events.get(0).get("userId")).isEqualTo(JsonValue.NULL);
    assertThat(events.get(2).getString("userId")).isEqualTo("u-42");
    assertThat(events.get(2).getJsonObject("traits").getString("email")).isEqualTo("ada@example.com");
    assertThat(events.get(3).getString("userId")).isEqualTo("u-42");
    List<JsonObject> afterLogout = eventsWhere(anonymousId(after.getString("anonymousId")), 1);
    assertThat(afterLogout.get(0).get("userId")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void traitsAreKeptInTheMirrorAndMergedForTheSameUser() {
    Browser browser = browser();
    json(browser.get("/probe?do=identify&userId=u-7&trait=plan:pro"));
    JsonObject again = json(browser.get("/probe?do=identify&userId=u-7&trait=seats:3"));
    assertThat(again.getJsonObject("traits")).containsEntry("plan", Json.createValue("pro"))
        .containsEntry("seats", Json.createValue("3"));
  }

  @Test
  void identifyingAsADifferentUserRegeneratesTheAnonymousIdAndReplacesTraits() {
    Browser browser = browser();
    JsonObject first = json(browser.get("/probe?do=identify&userId=alice&trait=plan:pro"));
    JsonObject second = json(browser.get("/probe?do=identify&userId=bob&trait=role:admin"));
    assertThat(second.getString("anonymousId")).isNotEqualTo(first.getString("anonymousId"));
    assertThat(second.getJsonObject("traits")).containsOnlyKeys("role");
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo(second.getString("anonymousId"));
    assertThat(browser.cookie("ajs_user_id")).isEqualTo("bob");
  }

  @Test
  void optionsAnonymousIdPersistsToTheCookie() {
    Browser browser = browser();
    json(browser.get("/probe"));
    json(browser.get("/probe?do=optanon&event=Viewed&anonymousId=ABC-123-XYZ"));
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo("ABC-123-XYZ");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isEqualTo("ABC-123-XYZ");
  }

  @Test
  void anonymousIdWithSpecialCharactersIsPercentEncodedAndReadBack() {
    Browser browser = browser();
    String id = "a b;c,\"d\" é";
    json(browser.get("/probe?do=anon&anonymousId=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(browser.cookie("ajs_anonymous_id")).doesNotContain(" ", ";", ",", "\"");
    assertThat(json(browser.get("/probe")).getString("anonymousId")).isEqualTo(id);
  }

  @Test
  void groupNeverChangesTheAnonymousId() {
    Browser browser = browser();
    String id = json(browser.get("/probe")).getString("anonymousId");
    JsonObject grouped = json(browser.get("/probe?do=group&groupId=acme&trait=tier:gold"));
    assertThat(grouped.getString("anonymousId")).isEqualTo(id);
    assertThat(grouped.getString("groupId")).isEqualTo("acme");
    assertThat(browser.cookie("ajs_group_id")).isEqualTo("acme");
  }

  // ------------------------------------------------------------------ tolerant reading

  @Test
  void classicQuotedCookieIsReadAndRewrittenRaw() {
    Browser browser = browser().cookie("ajs_anonymous_id", "%22classic-id-1%22");
    JsonObject state = json(browser.get("/probe"));
    assertThat(state.getString("anonymousId")).isEqualTo("classic-id-1");
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo("classic-id-1");
  }

  @Test
  void malformedCookieIsIgnoredAndReplaced() {
    Browser browser = browser().cookie("ajs_anonymous_id", "%E0%A4%ZZ");
    Browser.Response response = browser.get("/probe");
    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo(state.getString("anonymousId"));
  }

  @Test
  void legacySioCookieGivesTheAnonymousId() {
    Browser browser = browser().cookie("_sio", "legacy-anon----legacy-user");
    assertThat(json(browser.get("/probe")).getString("anonymousId")).isEqualTo("legacy-anon");
  }

  @Test
  void legacyAjsUserCookieGivesTheUserIdAndTraits() {
    Browser browser = browser().cookie("ajs_user", "%7B%22id%22%3A%22old-user%22%2C%22traits%22%3A%7B%22plan%22%3A%22basic%22%7D%7D");
    JsonObject state = json(browser.get("/probe"));
    assertThat(state.getString("userId")).isEqualTo("old-user");
    assertThat(state.getJsonObject("traits")).containsEntry("plan", Json.createValue("basic"));
  }

  // ------------------------------------------------------------------ commit triggers

  @Test
  void identifyAfterTheResponseCommittedIsAppliedOnTheNextRequest() {
    Browser browser = browser();
    String id = json(browser.get("/probe")).getString("anonymousId");
    Browser.Response flushed = browser.get("/probe?do=flush&do=identify&userId=late-user");
    assertThat(flushed.setCookie("ajs_user_id")).isNull();
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("userId")).isEqualTo("late-user");
    assertThat(next.getString("anonymousId")).isEqualTo(id);
    assertThat(browser.cookie("ajs_user_id")).isEqualTo("late-user");
  }

  @Test
  void resetAfterTheResponseCommittedIsAppliedOnTheNextRequest() {
    Browser browser = browser();
    String id = json(browser.get("/probe?do=identify&userId=leaving")).getString("anonymousId");
    browser.get("/probe?do=flush&do=reset");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(next, "userId")).isNull();
    assertThat(browser.cookie("ajs_user_id")).isNull();
  }

  @Test
  void lateResetIsFollowedWhenTheBrowserComesBackWithOnlyItsBackupCookie() {
    Browser browser = browser();
    String id = json(browser.get("/probe?do=identify&userId=leaving-too")).getString("anonymousId");
    Browser.Response late = browser.get("/probe?do=flush&do=reset");
    String minted = Json.createReader(new StringReader(late.body().trim())).readObject().getString("anonymousId");
    browser.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isNotEqualTo(id).isEqualTo(minted);
    assertThat(text(next, "userId")).isNull();
  }

  @Test
  void redirectCarriesTheCookies() {
    Browser browser = browser();
    Browser.Response response = browser.get("/probe?do=identify&userId=redirected&do=redirect");
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.setCookie("ajs_user_id")).startsWith("ajs_user_id=redirected;");
  }

  @Test
  void sendErrorCarriesTheCookies() {
    Browser browser = browser();
    Browser.Response response = browser.get("/probe?do=identify&userId=erred&do=error");
    assertThat(response.status()).isEqualTo(409);
    assertThat(response.setCookie("ajs_user_id")).startsWith("ajs_user_id=erred;");
  }

  @Test
  void jspThatFlushesEarlyThenIdentifiesKeepsTheChangeForTheNextRequest() {
    Browser browser = browser();
    json(browser.get("/probe"));
    Browser.Response page = browser.get("/early-flush.jsp?userId=jsp-user");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("identified as jsp-user");
    assertThat(page.setCookie("ajs_user_id")).isNull();
    assertThat(json(browser.get("/probe")).getString("userId")).isEqualTo("jsp-user");
  }

  @Test
  void eachResponseCarriesExactlyOneSetCookiePerCookie() {
    Browser browser = browser();
    Browser.Response response = browser.get("/probe?do=identify&userId=once&do=group&groupId=g");
    Map<String, Long> counts = response.setCookies().stream()
        .collect(Collectors.groupingBy(h -> h.substring(0, h.indexOf('=')), Collectors.counting()));
    assertThat(counts).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1L));
  }

  // ------------------------------------------------------------------ every path that finishes a response

  /** Asserts that the response sets each cookie at most once, and returns the value it gives {@code name}. */
  static String onlySetCookieValue(Browser.Response response, String name) {
    Map<String, Long> counts = response.setCookies().stream()
        .collect(Collectors.groupingBy(h -> h.substring(0, h.indexOf('=')), Collectors.counting()));
    assertThat(counts).as("Set-Cookie names").allSatisfy((n, count) -> assertThat(count).as(n).isEqualTo(1L));
    String header = response.setCookie(name);
    assertThat(header).as("Set-Cookie " + name).isNotNull();
    int end = header.indexOf(';');
    return header.substring(name.length() + 1, end < 0 ? header.length() : end);
  }

  @Test
  void firstVisitForwardedByAServletCarriesTheCookiesOfItsId() {
    Browser.Response response = browser().get("/dispatch?mode=forward");
    String id = json(response).getString("anonymousId");
    assertThat(onlySetCookieValue(response, "ajs_anonymous_id")).isEqualTo(id);
    assertThat(onlySetCookieValue(response, "ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\." + id);
  }

  @Test
  void identifyBeforeAServletForwardIsInTheForwardedResponse() {
    Browser.Response response = browser().get("/dispatch?mode=forward&before=identify&userId=fwd-before");
    assertThat(json(response).getString("userId")).isEqualTo("fwd-before");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("fwd-before");
  }

  @Test
  void identifyInTheForwardTargetIsInTheForwardedResponse() {
    Browser.Response response = browser().get("/dispatch?mode=forward&inner=identify&userId=fwd-inner");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("fwd-inner");
  }

  @Test
  void resetBeforeAServletForwardReplacesTheCookiesInTheForwardedResponse() {
    Browser browser = browser();
    String old = json(browser.get("/probe?do=identify&userId=leaving-fwd")).getString("anonymousId");
    Browser.Response response = browser.get("/dispatch?mode=forward&before=reset");
    String fresh = json(response).getString("anonymousId");
    assertThat(fresh).isNotEqualTo(old);
    assertThat(onlySetCookieValue(response, "ajs_anonymous_id")).isEqualTo(fresh);
    assertThat(response.setCookie("ajs_user_id")).contains("Max-Age=0");
    assertThat(browser.cookie("ajs_user_id")).isNull();
  }

  @Test
  void identifyAfterAServletForwardReturnedIsAppliedOnTheNextRequest() {
    Browser browser = browser();
    String id = json(browser.get("/dispatch?mode=forward&after=identify&userId=fwd-after")).getString("anonymousId");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isEqualTo(id);
    assertThat(next.getString("userId")).isEqualTo("fwd-after");
    assertThat(browser.cookie("ajs_user_id")).isEqualTo("fwd-after");
  }

  @Test
  void resetAfterAServletForwardReturnedIsAppliedOnTheNextRequest() {
    Browser browser = browser();
    String id = json(browser.get("/probe?do=identify&userId=leaving-late")).getString("anonymousId");
    browser.get("/dispatch?mode=forward&after=reset");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(next, "userId")).isNull();
    assertThat(browser.cookie("ajs_user_id")).isNull();
  }

  @Test
  void firstVisitThroughAJspForwardCarriesTheCookiesOfItsId() {
    Browser.Response response = browser().get("/forward.jsp");
    String id = json(response).getString("anonymousId");
    assertThat(onlySetCookieValue(response, "ajs_anonymous_id")).isEqualTo(id);
  }

  @Test
  void identifyBeforeAJspForwardIsInTheForwardedResponse() {
    Browser.Response response = browser().get("/forward.jsp?before=identify&userId=jsp-fwd");
    assertThat(json(response).getString("userId")).isEqualTo("jsp-fwd");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("jsp-fwd");
  }

  @Test
  void identifyInAnIncludedTargetIsInTheResponse() {
    Browser.Response response = browser().get("/dispatch?mode=include&inner=identify&userId=included");
    assertThat(response.status()).isEqualTo(200);
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("included");
  }

  @Test
  void firstVisitAnsweredByAnErrorPageCarriesTheCookiesOfItsId() {
    Browser.Response response = browser().get("/probe?do=gone");
    assertThat(response.status()).isEqualTo(410);
    String id = onlySetCookieValue(response, "ajs_anonymous_id");
    assertThat(response.body()).contains("gone for " + id);
  }

  @Test
  void identifyBeforeSendErrorToAnErrorPageIsInTheResponse() {
    Browser.Response response = browser().get("/probe?do=identify&userId=gone-user&do=gone");
    assertThat(response.status()).isEqualTo(410);
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("gone-user");
  }

  @Test
  void redirectAfterAPostCarriesTheCookies() {
    Browser browser = browser();
    Browser.Response response = browser.post("/probe?do=identify&do=redirect", Map.of("userId", "posted"));
    assertThat(response.status()).isEqualTo(302);
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("posted");
    assertThat(json(browser.get("/probe")).getString("userId")).isEqualTo("posted");
  }

  @Test
  void asyncResponseCarriesTheCookiesOfItsId() {
    Browser.Response response = browser().get("/async");
    String id = json(response).getString("anonymousId");
    assertThat(onlySetCookieValue(response, "ajs_anonymous_id")).isEqualTo(id);
  }

  @Test
  void identifyOnTheAsyncThreadThroughTheWrappedResponseIsInTheResponse() {
    Browser.Response response = browser().get("/async?start=wrapped&do=identify&userId=async-user");
    assertThat(json(response).getString("userId")).isEqualTo("async-user");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("async-user");
  }

  @Test
  void identifyOnTheAsyncThreadThroughTheContainersResponseReachesTheBrowserByItsNextRequest() {
    Browser browser = browser();
    Browser.Response response = browser.get("/async?do=identify&userId=async-plain");
    String id = json(response).getString("anonymousId");
    onlySetCookieValue(response, "ajs_anonymous_id");
    JsonObject next = json(browser.get("/probe"));
    assertThat(next.getString("anonymousId")).isEqualTo(id);
    assertThat(next.getString("userId")).isEqualTo("async-plain");
    assertThat(browser.cookie("ajs_user_id")).isEqualTo("async-plain");
  }

  @Test
  void responseResetByTheApplicationKeepsTheCookies() {
    Browser.Response response = browser().get("/probe?do=resetresponse");
    String id = json(response).getString("anonymousId");
    assertThat(onlySetCookieValue(response, "ajs_anonymous_id")).isEqualTo(id);
    assertThat(onlySetCookieValue(response, "ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\." + id);
  }

  @Test
  void identifyThenResponseResetKeepsTheNewCookies() {
    Browser.Response response = browser().get("/probe?do=identify&userId=reset-response&do=resetresponse");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("reset-response");
  }

  @Test
  void theApplicationsOwnCookiesSurviveAnIdentityChange() {
    Browser.Response response = browser().get("/probe?do=appcookie&do=identify&userId=with-app-cookie");
    assertThat(onlySetCookieValue(response, "app_pref")).isEqualTo("dark");
    assertThat(onlySetCookieValue(response, "ajs_user_id")).isEqualTo("with-app-cookie");
  }

  // ------------------------------------------------------------------ dispatches, exclusions, bots

  @Test
  void forwardDoesNotRunTheFilterAgain() {
    Browser browser = browser();
    Browser.Response response = browser.get("/dispatch?mode=forward");
    json(response);
    assertThat(response.setCookies().stream().filter(h -> h.startsWith("ajs_anonymous_id="))).hasSize(1);
  }

  @Test
  void includeDoesNotRunTheFilterAgain() {
    Browser browser = browser();
    Browser.Response response = browser.get("/dispatch?mode=include");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.setCookies().stream().filter(h -> h.startsWith("ajs_anonymous_id="))).hasSize(1);
  }

  @Test
  void excludedPathPassesThroughUntouched() {
    Browser browser = browser();
    Browser.Response response = browser.get("/static/probe");
    assertThat(response.body()).isEqualTo("{\"context\":false}");
    assertThat(response.setCookies()).isEmpty();
  }

  @Test
  void crawlerGetsAnUntrackedContextAndNoCookie() {
    Browser browser = browser().header("User-Agent",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    Browser.Response response = browser.get("/probe?do=track&event=Crawled");
    JsonObject state = json(response);
    assertThat(state.getBoolean("tracked")).isFalse();
    assertThat(response.setCookies()).isEmpty();
  }

  @Test
  void headlessChromeIsTracked() {
    Browser browser = browser().header("User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0 Safari/537.36");
    JsonObject state = json(browser.get("/probe"));
    assertThat(state.getBoolean("tracked")).isTrue();
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo(state.getString("anonymousId"));
  }

  // ------------------------------------------------------------------ operations

  @Test
  void countersAreExposedAsAnMBeanNamedByContextAndFilter() throws Exception {
    Browser browser = browser();
    json(browser.get("/probe"));
    browser.cookie("ajs_user_id", "%E0%A4%ZZ");
    json(browser.get("/probe"));
    javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName name =
        new javax.management.ObjectName("dev.audiencekit:type=AnalyticsFilter,context=/,name=analytics");
    assertThat(server.isRegistered(name)).isTrue();
    assertThat((Long) server.getAttribute(name, "IdsMinted")).isPositive();
    assertThat((Long) server.getAttribute(name, "InvalidCookies")).isPositive();
  }

  // ------------------------------------------------------------------ events

  @Test
  void trackEventCarriesTheRequestContext() {
    Browser browser = browser().header("Referer", "https://search.example/?q=shoes");
    String id = json(browser.get("/probe?do=track&event=Searched&utm_source=news&utm_campaign=winter"))
        .getString("anonymousId");
    JsonObject event = eventsWhere(anonymousId(id), 1).get(0);
    assertThat(event.getString("messageId")).matches("ak-\\d+-" + UUID_PATTERN);
    assertThat(event.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    JsonObject context = event.getJsonObject("context");
    assertThat(context.getString("ip")).isEqualTo("127.0.0.1");
    assertThat(context.getString("locale")).isEqualTo("en-GB");
    assertThat(context.getString("userAgent")).contains("Chrome/126.0");
    assertThat(context.getJsonObject("page").getString("path")).isEqualTo("/probe");
    assertThat(context.getJsonObject("page").getString("referrer")).isEqualTo("https://search.example/?q=shoes");
    assertThat(context.getJsonObject("page").getString("url")).startsWith("http://127.0.0.1:").contains("/probe?do=track");
    assertThat(context.getJsonObject("campaign").getString("source")).isEqualTo("news");
    assertThat(context.getJsonObject("campaign").getString("name")).isEqualTo("winter");
    assertThat(context.getJsonObject("library").getString("name")).isEqualTo("audiencekit-servlet");
  }
}
