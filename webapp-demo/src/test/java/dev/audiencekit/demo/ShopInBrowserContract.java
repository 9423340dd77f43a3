package dev.audiencekit.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The demo shop in real headless Chromium (driven by Selenium), with the real analytics.js (from the npm
 * package, served by the filter's first-party endpoint {@code /ak}), in a browser that reaches no host but
 * the shop's own (as a strict ad blocker would have it): the consent banner (decline, accept, withdraw),
 * the whole identity lifecycle, the cookies as scripts see them, the events on both sides, logout, and a
 * deleted cookie restored from the backup. Subclasses say where the shop runs. Missing Chromium fails the
 * test (it never skips).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopInBrowserContract {
  private static final List<String> IDENTITY_COOKIES = List.of("ajs_anonymous_id", "ak_anonymous_id", "ajs_user_id");
  private static final String ACCEPTED = "{\"Advertising\":false,\"Analytics\":true}";
  private static final String CONSENT_UPDATED = "Segment Consent Preference Updated";
  private static final Pattern ANONYMOUS_ID = Pattern.compile("(?:^|; )ajs_anonymous_id=([^;]*)");
  private static final Path ARTIFACTS = Path.of(System.getProperty("demo.artifacts", "target/browser-test"));
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AutoCloseable shop;
  private Chromium chromium;
  private WebDriver browser;
  private String base;

  /** Starts the shop; its address is {@code base()} of the answer. */
  abstract RunningShop startShop() throws Exception;

  /** A started shop: where it answers, and how to stop it. */
  interface RunningShop extends AutoCloseable {
    URI base();
  }

  /** Where the screenshots and logs of this run go. */
  Path artifacts() {
    return ARTIFACTS.resolve(getClass().getSimpleName());
  }

  @BeforeAll
  void start() throws Exception {
    String missing = Chromium.missing();
    if (missing != null) {
      fail(missing);
    }
    RunningShop running = startShop();
    shop = running;
    base = running.base().toString().replaceAll("/$", "");
    chromium = Chromium.start(artifacts());
    browser = chromium.driver();
  }

  @AfterAll
  void stop() throws Exception {
    try (AutoCloseable s = shop; Chromium c = chromium) {
      // closes the browser first, then the shop, each even if the other fails
    }
  }

  /** A new visitor: no cookie, no storage (on a page outside the filter, so it records nothing). */
  @BeforeEach
  void newVisitor() {
    browser.get(base + "/favicon.ico");
    browser.manage().deleteAllCookies();
    script("window.localStorage.clear();");
  }

  @Test
  void consentBannerDecidesWhatTheBrowserAndTheServerKeep() throws Exception {
    recordFailure("consent", this::declineAcceptWithdraw);
  }

  @Test
  void wholeShopFlowKeepsOneIdentityInBrowserAndServer() throws Exception {
    recordFailure("shop", this::walkTheShop);
  }

  private interface Walk {
    void run() throws Exception;
  }

  private void recordFailure(String name, Walk walk) throws Exception {
    try {
      walk.run();
    } catch (Throwable failure) {
      chromium.screenshot(artifacts().resolve(name + "-failure.png"));
      java.nio.file.Files.writeString(artifacts().resolve(name + "-failure.html"), browser.getPageSource());
      throw failure;
    }
  }

  private void declineAcceptWithdraw() throws Exception {
    int before = events("all").size();

    // 1. Not decided: the banner, no identity cookie, no analytics.js.
    browser.get(base + "/product?sku=MUG-01");
    assertThat(browser.findElements(By.cssSelector("#consent-banner"))).hasSize(1);
    assertThat(identityCookies()).isEmpty();
    assertThat(script("return typeof window.analytics;")).isEqualTo("undefined");

    // 2. Decline on the banner (its script writes shop_consent): still nothing is set or sent.
    browser.findElement(By.cssSelector("#consent-decline")).click();
    await("the banner gone").atMost(Duration.ofSeconds(15)).until(() ->
        browser.findElements(By.cssSelector("#consent-banner")).isEmpty() && isLoaded());
    assertThat(documentCookie()).contains("shop_consent=");
    browser.get(base + "/cart");
    assertThat(identityCookies()).isEmpty();
    assertThat(text("#visitor-untracked")).contains("no consent to Analytics");
    assertThat(script("return typeof window.analytics;")).isEqualTo("undefined");
    assertThat(requestsBeyondTheShop()).isEmpty();
    assertThat(requestedPaths()).noneMatch(path -> path.startsWith("/ak/"));
    browser.get(base + "/inspector");
    assertThat(text("#inspector-consent")).isEqualTo("declined");

    // 3. Accept on the privacy page (a plain form: the server calls AnalyticsContext.consent).
    browser.findElement(By.cssSelector("#nav-privacy")).click();
    awaitUrl("/privacy");
    browser.findElement(By.cssSelector("#privacy-accept")).click();
    await("accepted").atMost(Duration.ofSeconds(15)).until(() -> isLoaded()
        && text("#privacy-preferences").equals(ACCEPTED));
    assertThat(identityCookies()).containsExactlyInAnyOrder("ajs_anonymous_id", "ak_anonymous_id");
    String anonymousId = documentAnonymousId();
    assertThat(documentCookie()).doesNotContain("ak_anonymous_id");

    // Declining sent nothing: the first event after it is the one reporting the acceptance.
    List<JsonObject> sinceDecline = await("the acceptance reported").atMost(Duration.ofSeconds(20)).until(
        () -> eventsSince(before), list -> list.stream().anyMatch(e ->
            CONSENT_UPDATED.equals(text(e, "event")) && anonymousId.equals(text(e, "anonymousId"))));
    JsonObject first = sinceDecline.get(0);
    assertThat(text(first, "event")).as("first event since the decline: " + first).isEqualTo(CONSENT_UPDATED);
    assertThat(text(first, "anonymousId")).isEqualTo(anonymousId);
    assertThat(preferences(first)).isEqualTo(ACCEPTED);

    // 4. Browser and server events of the next page carry the same context.consent.
    browser.get(base + "/product?sku=MUG-01");
    JsonObject viewed = awaitBrowserEvent(e -> "Product Viewed".equals(text(e, "event"))
        && anonymousId.equals(text(e, "anonymousId")));
    JsonObject page = awaitServerEvents(e -> "page".equals(text(e, "type")) && "Stoneware Mug".equals(text(e, "name"))
        && anonymousId.equals(text(e, "anonymousId")), list -> !list.isEmpty()).get(0);
    assertThat(preferences(viewed)).isEqualTo(ACCEPTED).isEqualTo(preferences(page));
    browser.get(base + "/inspector");
    assertThat(text("#inspector-consent")).isEqualTo("granted");
    assertThat(text("#timeline")).contains("consent " + ACCEPTED);

    // 5. Withdraw on the privacy page: the identity cookies (the HttpOnly one too) and analytics.js's copies go.
    browser.get(base + "/privacy");
    browser.findElement(By.cssSelector("#privacy-decline")).click();
    await("withdrawn").atMost(Duration.ofSeconds(15)).until(() -> isLoaded()
        && text("#privacy-state").startsWith("You declined"));
    assertThat(identityCookies()).isEmpty();
    assertThat((List<?>) script("return Object.keys(window.localStorage).filter(function (k) {"
        + " return k.indexOf('ajs_') === 0; });")).as("analytics.js's ids in localStorage").isEmpty();
    awaitServerEvents(e -> CONSENT_UPDATED.equals(text(e, "event")) && anonymousId.equals(text(e, "anonymousId"))
        && preferences(e).equals("{\"Advertising\":false,\"Analytics\":false}"), list -> !list.isEmpty());
    browser.get(base + "/cart");
    assertThat(identityCookies()).isEmpty();
    assertThat(script("return typeof window.analytics;")).isEqualTo("undefined");
  }

  private void walkTheShop() throws Exception {
    // 0. The browser reaches no other host (the ad blocker works), and the banner asks first.
    browser.get(base + "/");
    assertThat(script("var done = arguments[arguments.length - 1];"
        + "fetch('https://api.segment.io/v1/t', {method: 'POST', mode: 'no-cors', body: '{}'})"
        + ".then(function () { done('reached'); }, function () { done('blocked'); });", true))
        .as("a request to another host").isEqualTo("blocked");
    assertThat(identityCookies()).isEmpty();
    browser.findElement(By.cssSelector("#consent-accept")).click();
    await("the banner gone").atMost(Duration.ofSeconds(15)).until(() ->
        browser.findElements(By.cssSelector("#consent-banner")).isEmpty() && isLoaded());

    // 1. Accepted: the server mints the id; scripts see the readable cookie, never the backup.
    String anonymousId = documentAnonymousId();
    assertThat(anonymousId).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(documentCookie()).doesNotContain("ak_anonymous_id");
    assertThat(text("#visitor-anonymous-id")).isEqualTo(anonymousId);

    // 2. The inspector shows the same id as the cookie.
    browser.get(base + "/inspector");
    assertThat(text("#inspector-anonymous-id")).isEqualTo(anonymousId);
    assertThat(text("#inspector-source")).isEqualTo("COOKIE");
    assertThat(text("#inspector-cookies")).contains("ak_anonymous_id", anonymousId);

    // 3. Browse a product: analytics.js sends Product Viewed from the browser with the server's id.
    browser.get(base + "/");
    browser.findElement(By.cssSelector("#view-MUG-01")).click();
    awaitUrl("/product?sku=MUG-01");
    JsonObject viewed = awaitBrowserEvent(e -> "Product Viewed".equals(text(e, "event"))
        && anonymousId.equals(text(e, "anonymousId")));
    assertThat(text(viewed, "userId")).isNull();
    assertThat(text(viewed.getJsonObject("context"), "ip")).as("the server's ip=truncate").isEqualTo("127.0.0.0");
    assertThat(preferences(viewed)).isEqualTo(ACCEPTED);
    // analytics.js and its settings came from /ak; its event posts (keepalive fetches, which Resource Timing
    // does not list) can only have gone there too: there is no other collector, and no other host resolves.
    assertThat(requestedPaths()).contains("/ak/analytics.js", "/ak/v1/projects/first-party/settings");
    assertThat(requestsBeyondTheShop()).isEmpty();
    chromium.screenshot(artifacts().resolve("product.png"));

    // 4. Add to cart (server-side track), log in (identify with traits).
    browser.findElement(By.cssSelector("#add-to-cart")).click();
    awaitUrl("/cart");
    browser.findElement(By.cssSelector("#nav-login")).click();
    awaitUrl("/login");
    browser.findElement(By.cssSelector("#email")).sendKeys("ada@example.com");
    browser.findElement(By.cssSelector("#name")).sendKeys("Ada Lovelace");
    browser.findElement(By.cssSelector("#login")).click();
    awaitUrl("/");
    String userId = text("#visitor-user-id");
    assertThat(userId).startsWith("cust-");
    assertThat(documentAnonymousId()).as("identify of an anonymous visitor keeps the anonymousId").isEqualTo(anonymousId);

    // 5. After login analytics.js in the browser carries the server's userId too.
    browser.get(base + "/cart");
    JsonObject cartViewed = awaitBrowserEvent(e -> "Cart Viewed".equals(text(e, "event"))
        && userId.equals(text(e, "userId")));
    assertThat(text(cartViewed, "anonymousId")).isEqualTo(anonymousId);

    // 6. Check out and complete the order.
    browser.findElement(By.cssSelector("#checkout")).click();
    awaitUrl("/checkout");
    browser.findElement(By.cssSelector("#place-order")).click();
    awaitUrl("/order");
    assertThat(text("#order-id")).startsWith("ord-");

    // 7. The server's events arrived in order, with the right ids; the order kept the IP out.
    List<JsonObject> mine = awaitServerEvents(e -> anonymousId.equals(text(e, "anonymousId")),
        list -> list.stream().anyMatch(e -> "Order Completed".equals(text(e, "event"))));
    List<String> lifecycle = mine.stream().map(ShopInBrowserContract::describe)
        .filter(d -> !d.startsWith("page")).collect(Collectors.toList());
    assertThat(lifecycle).containsExactly("track " + CONSENT_UPDATED, "track Product Added", "identify " + userId,
        "track Checkout Started", "track Order Completed");
    assertThat(mine.stream().filter(e -> "page".equals(text(e, "type"))).map(e -> text(e, "name")))
        .containsSubsequence("Home", "Stoneware Mug", "Cart", "Login", "Home", "Cart", "Checkout", "Order Confirmation");
    JsonObject productAdded = find(mine, "Product Added");
    assertThat(text(productAdded, "userId")).isNull();
    JsonObject identify = mine.stream().filter(e -> "identify".equals(text(e, "type"))).findFirst().orElseThrow();
    assertThat(identify.getJsonObject("traits").getString("email")).isEqualTo("ada@example.com");
    assertThat(identify.getJsonObject("traits").getString("name")).isEqualTo("Ada Lovelace");
    assertThat(text(find(mine, "Checkout Started"), "userId")).isEqualTo(userId);
    JsonObject order = find(mine, "Order Completed");
    assertThat(text(order, "userId")).isEqualTo(userId);
    assertThat(order.getJsonObject("context").getString("ip")).isEmpty();
    assertThat(text(find(mine, "Checkout Started").getJsonObject("context"), "ip")).isEqualTo("127.0.0.0");

    // 7b. Browser events (through /ak) and server events reached the sink in the order they happened.
    List<String> both = events("all").stream()
        .filter(e -> anonymousId.equals(text(e, "anonymousId")) && !"page".equals(text(e, "type")))
        .map(e -> InspectorServlet.origin(e) + " " + describe(e)).collect(Collectors.toList());
    assertThat(both).containsExactly("server track " + CONSENT_UPDATED, "browser track Product Viewed",
        "server track Product Added", "browser track Cart Viewed", "server identify " + userId, "browser track Cart Viewed",
        "server track Checkout Started", "server track Order Completed");

    // 8. The inspector draws the timeline; keep a screenshot as the test's artifact.
    browser.manage().window().setSize(new Dimension(1280, 2000));
    browser.get(base + "/inspector");
    assertThat(text("#inspector-user-id")).isEqualTo(userId);
    assertThat(text("#timeline")).contains("Order Completed", "Checkout Started", "Product Added",
        "as " + userId, "Cart Viewed", "context.ip = \"\"");
    chromium.screenshot(artifacts().resolve("inspector.png"));
    browser.manage().window().setSize(new Dimension(1280, 1000));

    // 9. Log out: a new anonymousId, no userId, neither in the cookies nor in analytics.js.
    browser.findElement(By.cssSelector("#logout")).click();
    awaitUrl("/");
    String afterLogout = documentAnonymousId();
    assertThat(afterLogout).isNotEqualTo(anonymousId).isNotBlank();
    assertThat(documentCookie()).doesNotContain("ajs_user_id");
    assertThat(browser.findElements(By.cssSelector("#visitor-user-id"))).isEmpty();
    awaitServerEvents(e -> "Signed Out".equals(text(e, "event")) && userId.equals(text(e, "userId"))
        && anonymousId.equals(text(e, "anonymousId")), list -> !list.isEmpty());
    await("analytics.js adopted the server's identity").atMost(Duration.ofSeconds(10)).until(() ->
        afterLogout.equals(scriptText("return window.analytics && window.analytics.initialized"
            + " && window.analytics.user().id() === null ? window.analytics.user().anonymousId() : null;")));
    browser.get(base + "/product?sku=KETTLE-03");
    JsonObject viewedAfterLogout = awaitBrowserEvent(e -> "Product Viewed".equals(text(e, "event"))
        && afterLogout.equals(text(e, "anonymousId")));
    assertThat(text(viewedAfterLogout, "userId")).as("the stale userId must not come back").isNull();

    // 10. A script deletes the readable cookie (and localStorage): the backup cookie restores the id.
    browser.get(base + "/inspector");
    script("document.cookie = 'ajs_anonymous_id=; Max-Age=0; Path=/'; window.localStorage.clear();");
    assertThat(documentCookie()).doesNotContain("ajs_anonymous_id");
    browser.get(base + "/inspector");
    assertThat(text("#inspector-source")).isEqualTo("BACKUP_COOKIE");
    assertThat(text("#inspector-anonymous-id")).isEqualTo(afterLogout);
    assertThat(documentAnonymousId()).isEqualTo(afterLogout);
  }

  // ------------------------------------------------------------------ helpers

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private Object script(String js) {
    return ((JavascriptExecutor) browser).executeScript(js);
  }

  private Object script(String js, boolean async) {
    return async ? ((JavascriptExecutor) browser).executeAsyncScript(js) : script(js);
  }

  private String scriptText(String js) {
    return script(js) instanceof String s ? s : null;
  }

  private boolean isLoaded() {
    return "complete".equals(scriptText("return document.readyState;"));
  }

  /** The identity cookies the browser holds for the shop, HttpOnly ones included. */
  private List<String> identityCookies() {
    return browser.manage().getCookies().stream().map(Cookie::getName).filter(IDENTITY_COOKIES::contains)
        .collect(Collectors.toList());
  }

  /** Every resource the current page requested (scripts, fetches, beacons), as the browser's Resource Timing saw it. */
  private List<String> requestedUrls() {
    Object urls = script("return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
    return ((List<?>) urls).stream().map(String::valueOf).collect(Collectors.toList());
  }

  private List<String> requestedPaths() {
    return requestedUrls().stream().filter(u -> u.startsWith(base)).map(u -> u.substring(base.length()))
        .collect(Collectors.toList());
  }

  private List<String> requestsBeyondTheShop() {
    return requestedUrls().stream().filter(u -> !u.startsWith(base + "/")).collect(Collectors.toList());
  }

  /** {@code context.consent.categoryPreferences} of an event as JSON text, or null. */
  private static String preferences(JsonObject event) {
    JsonValue context = event.get("context");
    return context instanceof JsonObject c && c.get("consent") instanceof JsonObject consent
        && consent.get("categoryPreferences") instanceof JsonObject preferences ? preferences.toString() : null;
  }

  private String documentCookie() {
    return scriptText("return document.cookie;");
  }

  private String documentAnonymousId() {
    Matcher matcher = ANONYMOUS_ID.matcher(documentCookie());
    assertThat(matcher.find()).as("ajs_anonymous_id in document.cookie: " + documentCookie()).isTrue();
    return java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
  }

  private void awaitUrl(String pathAndQuery) {
    await("browser at " + pathAndQuery).atMost(Duration.ofSeconds(15))
        .until(() -> browser.getCurrentUrl().equals(base + pathAndQuery) && isLoaded());
  }

  private JsonObject awaitBrowserEvent(Predicate<JsonObject> filter) {
    return await("an event from analytics.js").atMost(Duration.ofSeconds(20)).until(
        () -> events("browser").stream().filter(filter).findFirst().orElse(null), e -> e != null);
  }

  private List<JsonObject> awaitServerEvents(Predicate<JsonObject> filter, Predicate<List<JsonObject>> done) {
    return await("events in the memory sink").atMost(Duration.ofSeconds(20)).until(
        () -> events("server").stream().filter(filter)
            .sorted(Comparator.comparing(e -> text(e, "timestamp"))).collect(Collectors.toList()), done);
  }

  private List<JsonObject> events(String side) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/inspector/events.json"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return Json.createReader(new StringReader(response.body())).readObject().getJsonArray(side).stream()
        .map(JsonValue::asJsonObject).collect(Collectors.toList());
  }

  private List<JsonObject> eventsSince(int index) throws Exception {
    List<JsonObject> all = events("all");
    return all.subList(Math.min(index, all.size()), all.size());
  }

  private static JsonObject find(List<JsonObject> events, String name) {
    return events.stream().filter(e -> name.equals(text(e, "event"))).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not among " + events));
  }

  private static String describe(JsonObject event) {
    String type = text(event, "type");
    return switch (type == null ? "" : type) {
      case "track" -> "track " + text(event, "event");
      case "identify" -> "identify " + text(event, "userId");
      case "page" -> "page " + text(event, "name");
      default -> type;
    };
  }

  private static String text(JsonObject object, String key) {
    JsonValue value = object == null ? null : object.get(key);
    return value instanceof JsonString s ? s.getString() : null;
  }
}
