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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The demo shop in real headless Chromium (driven by Selenium), with the real analytics.js (from the npm
 * package, served by the demo) talking to the demo's loopback collector: the whole identity lifecycle,
 * the cookies as scripts see them, the events on both sides, logout, and a deleted cookie restored from
 * the backup. Subclasses say where the shop runs. Missing Chromium fails the test (it never skips).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ShopInBrowserContract {
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

  @Test
  void wholeShopFlowKeepsOneIdentityInBrowserAndServer() throws Exception {
    try {
      walkTheShop();
    } catch (Throwable failure) {
      chromium.screenshot(artifacts().resolve("failure.png"));
      java.nio.file.Files.writeString(artifacts().resolve("failure.html"), browser.getPageSource());
      throw failure;
    }
  }

  private void walkTheShop() throws Exception {
    // 1. First visit: the server mints the id; scripts see the readable cookie, never the backup.
    browser.get(base + "/");
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
    assertThat(lifecycle).containsExactly("track Product Added", "identify " + userId, "track Checkout Started",
        "track Order Completed");
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
    assertThat(text(find(mine, "Checkout Started").getJsonObject("context"), "ip")).isNotEmpty();

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

  private String scriptText(String js) {
    return script(js) instanceof String s ? s : null;
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
        .until(() -> browser.getCurrentUrl().equals(base + pathAndQuery)
            && "complete".equals(scriptText("return document.readyState;")));
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
