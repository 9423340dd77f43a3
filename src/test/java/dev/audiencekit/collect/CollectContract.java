package dev.audiencekit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.LoopbackCollector;
import dev.audiencekit.testing.RawHttp;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The first-party collection endpoint inside a real container ({@code collect=/ak}, {@code ip=truncate},
 * one listed origin, a classpath bundle), its events delivered both to the memory sink (read back
 * through {@code /events}) and over HTTP to a {@link LoopbackCollector}. Every test is its own client
 * address ({@code X-Forwarded-For} from loopback, a trusted proxy), so rate budgets never mix.
 * Subclasses pick the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CollectContract {
  static final String PARTNER = "https://partner.example";
  private static final AtomicInteger ADDRESSES = new AtomicInteger();
  private static final byte[] FIXTURE = fixture();

  private Container container;
  private LoopbackCollector collector;
  private final Map<Browser, String> addresses = new java.util.IdentityHashMap<>();

  abstract Container.Kind kind();

  @BeforeAll
  void start() throws IOException {
    collector = LoopbackCollector.start();
    Map<String, String> params = TestApp.defaults();
    params.put("sink", "memory,http");
    params.put("writeKey", "WK_SERVER");
    params.put("endpoint", collector.endpoint());
    params.put("spool.dir", "none");
    params.put("ip", "truncate");
    params.put("collect", "/ak");
    params.put("collect.allowOrigins", PARTNER);
    params.put("collect.bundle", "classpath:dev/audiencekit/collect/analytics-fixture.js");
    TestApp app = new TestApp(params);
    ServletContainerInitializer withAppUnderPrefix = (classes, context) -> {
      app.onStartup(classes, context);
      context.addServlet("app-under-prefix", new AppServlet()).addMapping("/ak/*", "/akx");
    };
    container = Container.start(kind(), Container.testWebapp(), withAppUnderPrefix);
  }

  @AfterAll
  void stop() {
    if (container != null) {
      container.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  /** The application's own servlet for /ak/*: the filter must answer before it is ever reached. */
  static final class AppServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setStatus(299);
      response.getWriter().print("the application");
    }
  }

  // ------------------------------------------------------------------ helpers

  /** A new client address (its own rate budget), already holding the filter's cookies. */
  Browser visitor() {
    int n = ADDRESSES.incrementAndGet();
    String address = "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    Browser browser = new Browser(container.base()).header("X-Forwarded-For", address);
    addresses.put(browser, address);
    assertThat(browser.get("/probe").status()).isEqualTo(200);
    return browser;
  }

  /** The client address a browser of {@link #visitor()} sends from. */
  String address(Browser browser) {
    return addresses.get(browser);
  }

  static Browser.Response post(Browser browser, String path, String body) {
    return browser.send("POST", "/ak" + path, "text/plain", body);
  }

  static String uniqueId(String label) {
    return "ajs-next-" + label + "-" + java.util.UUID.randomUUID();
  }

  /** A track event as analytics-next posts it, claiming {@code anonymousId}. */
  static String track(String messageId, String anonymousId, String event) {
    return "{\"timestamp\":\"2026-12-03T10:00:00.000Z\",\"integrations\":{},\"type\":\"track\",\"event\":\"" + event
        + "\",\"properties\":{\"plan\":\"pro\"},\"options\":{},\"userId\":null,\"anonymousId\":\"" + anonymousId
        + "\",\"messageId\":\"" + messageId + "\",\"context\":{\"page\":{\"path\":\"/cart\",\"referrer\":\"\","
        + "\"search\":\"\",\"title\":\"Cart\",\"url\":\"http://shop.example/cart\"},\"userAgent\":\"Mozilla/5.0 test\","
        + "\"locale\":\"en-GB\",\"library\":{\"name\":\"analytics.js\",\"version\":\"next-1.84.3\"},"
        + "\"ip\":\"6.6.6.6\",\"traits\":{\"email\":\"x@example.com\"}},\"writeKey\":\"WK_PAGE\","
        + "\"sentAt\":\"2026-12-03T10:00:00.050Z\",\"_metadata\":{\"bundled\":[\"Segment.io\"]}}";
  }

  static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  List<JsonObject> delivered() {
    Browser.Response response = new Browser(container.base()).get("/events");
    return Json.createReader(new StringReader(response.body())).readArray().stream()
        .map(JsonValue::asJsonObject).collect(Collectors.toList());
  }

  JsonObject awaitEvent(String messageId) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> delivered().stream()
        .filter(e -> messageId.equals(e.getString("messageId", null))).findFirst().orElse(null), e -> e != null);
  }

  /**
   * Asserts that no event with {@code messageId} was queued: a sentinel accepted after it from the same
   * client is waited for (delivery keeps the order of one queue), and the refused one is not there.
   */
  void assertNotQueued(Browser browser, String messageId) {
    String sentinel = uniqueId("sentinel");
    assertThat(post(browser, "/v1/t", track(sentinel, "x", "Sentinel")).status()).isEqualTo(200);
    awaitEvent(sentinel);
    assertThat(delivered()).noneMatch(e -> messageId.equals(e.getString("messageId", null)));
  }

  JsonObject metrics() {
    return json(new Browser(container.base()).get("/metrics").body());
  }

  long refused(String reason) {
    return metrics().getJsonObject("collectRefusedByReason").getJsonNumber(reason) == null ? 0
        : metrics().getJsonObject("collectRefusedByReason").getJsonNumber(reason).longValue();
  }

  static void assertRefusal(Browser.Response response, int status, String fragment) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonObject body = json(response.body());
    assertThat(body.getBoolean("success")).isFalse();
    assertThat(body.getString("error")).contains(fragment);
    assertThat(response.body()).doesNotContain("\n");
  }

  private static byte[] fixture() {
    try (InputStream in = CollectContract.class.getResourceAsStream("analytics-fixture.js")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ accepted events

  @Test
  void aTrackEventIsDeliveredWithTheServersIdsAndIpRule() {
    Browser browser = visitor();
    String id = uniqueId("track");
    Browser.Response response = post(browser, "/v1/t", track(id, "forged-anonymous-id", "Button Clicked"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(json(response.body())).isEqualTo(json("{\"success\":true}"));
    JsonObject event = awaitEvent(id);
    assertThat(event.getString("anonymousId")).isEqualTo(browser.cookie("ajs_anonymous_id"));
    assertThat(event.get("userId")).isEqualTo(JsonValue.NULL);
    assertThat(event.getString("event")).isEqualTo("Button Clicked");
    assertThat(event.getJsonObject("properties").getString("plan")).isEqualTo("pro");
    JsonObject context = event.getJsonObject("context");
    assertThat(context.getString("ip")).isEqualTo(truncated(browser));
    assertThat(context.getString("userAgent")).isEqualTo("Mozilla/5.0 test");
    assertThat(context.getJsonObject("library").getString("name")).isEqualTo("analytics.js");
    assertThat(context.keySet()).doesNotContain("traits");
    assertThat(event.keySet()).doesNotContain("writeKey", "sentAt", "_metadata", "integrations");
  }

  /** ip=truncate: the browser's client address with its last octet zeroed. */
  String truncated(Browser browser) {
    String address = address(browser);
    return address.substring(0, address.lastIndexOf('.')) + ".0";
  }

  @Test
  void eventsReachTheCollectorThroughTheServersDelivery() {
    Browser browser = visitor();
    String id = uniqueId("collector");
    assertThat(post(browser, "/v1/t", track(id, browser.cookie("ajs_anonymous_id"), "Checkout")).status())
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.delivered().contains(id));
  }

  @Test
  void everyEventPathAcceptsItsType() {
    Browser browser = visitor();
    String anon = browser.cookie("ajs_anonymous_id");
    Map<String, String> bodies = Map.of(
        "/v1/p", "{\"type\":\"page\",\"name\":\"Home\",\"category\":\"Shop\",\"properties\":{\"path\":\"/\"}}",
        "/v1/i", "{\"type\":\"identify\",\"traits\":{\"plan\":\"pro\"}}",
        "/v1/g", "{\"type\":\"group\",\"groupId\":\"acme\",\"traits\":{\"size\":5}}",
        "/v1/s", "{\"type\":\"screen\",\"name\":\"Cart\"}",
        "/v1/t", "{\"type\":\"track\",\"event\":\"Added\"}");
    bodies.forEach((path, body) -> {
      String id = uniqueId(path.substring(4));
      String withId = body.replaceFirst("\\{", "{\"messageId\":\"" + id + "\",\"anonymousId\":\"" + anon + "\",");
      assertThat(post(browser, path, withId).status()).as(path).isEqualTo(200);
      JsonObject event = awaitEvent(id);
      assertThat(event.getString("anonymousId")).isEqualTo(anon);
      assertThat(event.getString("type").charAt(0)).isEqualTo(path.charAt(4));
    });
  }

  @Test
  void aGroupKeepsItsGroupIdAndTraits() {
    Browser browser = visitor();
    String id = uniqueId("group");
    post(browser, "/v1/g", "{\"type\":\"group\",\"messageId\":\"" + id + "\",\"groupId\":\"acme\",\"traits\":{\"size\":5}}");
    JsonObject event = awaitEvent(id);
    assertThat(event.getString("groupId")).isEqualTo("acme");
    assertThat(event.getJsonObject("traits").getInt("size")).isEqualTo(5);
  }

  @Test
  void anAliasKeepsTheBrowsersUserIdAndPreviousIdWithTheServersAnonymousId() {
    Browser browser = visitor();
    String id = uniqueId("alias");
    post(browser, "/v1/a", "{\"type\":\"alias\",\"messageId\":\"" + id + "\",\"userId\":\"user-9\","
        + "\"previousId\":\"guest-3\",\"anonymousId\":\"forged\"}");
    JsonObject event = awaitEvent(id);
    assertThat(event.getString("userId")).isEqualTo("user-9");
    assertThat(event.getString("previousId")).isEqualTo("guest-3");
    assertThat(event.getString("anonymousId")).isEqualTo(browser.cookie("ajs_anonymous_id"));
  }

  @Test
  void aLoggedInVisitorsEventsCarryTheServersUserId() {
    Browser browser = visitor();
    browser.get("/probe?do=identify&userId=user-42");
    String id = uniqueId("user");
    post(browser, "/v1/t", "{\"type\":\"track\",\"event\":\"E\",\"messageId\":\"" + id + "\",\"userId\":\"admin\"}");
    assertThat(awaitEvent(id).getString("userId")).isEqualTo("user-42");
  }

  @Test
  void eventsWhoseIdsDisagreeAreAcceptedAndCounted() {
    Browser browser = visitor();
    long before = metrics().getJsonNumber("collectIdsReplaced").longValue();
    String id = uniqueId("forged");
    assertThat(post(browser, "/v1/t", track(id, "someone-else", "E")).status()).isEqualTo(200);
    assertThat(awaitEvent(id).getString("anonymousId")).isEqualTo(browser.cookie("ajs_anonymous_id"));
    assertThat(metrics().getJsonNumber("collectIdsReplaced").longValue()).isGreaterThan(before);
  }

  @Test
  void batchesOnBAndBatchAreDeliveredWhole() {
    Browser browser = visitor();
    for (String path : new String[] {"/v1/b", "/v1/batch"}) {
      String a = uniqueId("batch-a");
      String b = uniqueId("batch-b");
      String body = "{\"writeKey\":\"WK_PAGE\",\"batch\":[" + track(a, "x", "One") + ","
          + "{\"type\":\"identify\",\"messageId\":\"" + b + "\",\"traits\":{}}],\"sentAt\":\"2026-12-03T10:00:00Z\"}";
      assertThat(post(browser, path, body).status()).as(path).isEqualTo(200);
      assertThat(awaitEvent(a).getString("type")).isEqualTo("track");
      assertThat(awaitEvent(b).getString("type")).isEqualTo("identify");
    }
  }

  @Test
  void aVisitorWithoutCookiesGetsItsIdentityAndCookiesFromTheEndpoint() {
    Browser browser = new Browser(container.base()).header("X-Forwarded-For", "198.51.99.1");
    String id = uniqueId("first");
    Browser.Response response = post(browser, "/v1/p", "{\"type\":\"page\",\"messageId\":\"" + id + "\"}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.setCookie("ajs_anonymous_id")).isNotNull();
    assertThat(awaitEvent(id).getString("anonymousId")).isEqualTo(browser.cookie("ajs_anonymous_id"));
  }

  @Test
  void applicationJsonIsAcceptedToo() {
    Browser browser = visitor();
    String id = uniqueId("json");
    Browser.Response response = browser.send("POST", "/ak/v1/t", "application/json; charset=utf-8",
        track(id, "x", "E"));
    assertThat(response.status()).isEqualTo(200);
    awaitEvent(id);
  }

  @Test
  void nothingUnderThePrefixReachesTheApplication() {
    Browser browser = visitor();
    for (String path : new String[] {"/ak", "/ak/", "/ak/admin", "/ak/v1/t/x", "/ak/v1/m"}) {
      Browser.Response response = browser.get(path);
      assertThat(response.status()).as(path).isIn(404, 405);
      assertThat(response.body()).doesNotContain("the application");
    }
    assertThat(browser.get("/akx").status()).isEqualTo(299); // a sibling path is the application's
  }

  // ------------------------------------------------------------------ settings, bundle, CORS

  @Test
  void settingsSendAnalyticsJsToThisEndpointOverTheRequestsScheme() {
    Browser browser = visitor();
    Browser.Response response = browser.get("/ak/v1/projects/WK_PAGE/settings");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonObject segment = json(response.body()).getJsonObject("integrations").getJsonObject("Segment.io");
    assertThat(segment.getString("apiKey")).isEqualTo("WK_PAGE");
    assertThat(segment.getString("apiHost")).isEqualTo(container.base().getAuthority() + "/ak/v1");
    assertThat(segment.getString("protocol")).isEqualTo("http");
    assertThat(json(response.body()).getJsonObject("metrics").getInt("sampleRate")).isZero();

    browser.header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example");
    JsonObject behindProxy = json(browser.get("/ak/v1/projects/WK_PAGE/settings").body())
        .getJsonObject("integrations").getJsonObject("Segment.io");
    assertThat(behindProxy.getString("apiHost")).isEqualTo("shop.example/ak/v1");
    assertThat(behindProxy.getString("protocol")).isEqualTo("https");
  }

  @Test
  void theBundleIsServedWithItsTypeAndCachingHeaders() {
    Browser browser = visitor();
    Browser.Response response = browser.get("/ak/analytics.js");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/javascript;charset=utf-8");
    assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=300");
    assertThat(response.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(FIXTURE);
    String etag = response.header("ETag");
    assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
    browser.header("If-None-Match", etag);
    assertThat(browser.get("/ak/analytics.js").status()).isEqualTo(304);
  }

  @Test
  void theBundleIsGzippedForClientsThatAcceptIt() throws IOException {
    try (RawHttp http = new RawHttp(container.base())) {
      RawHttp.Response response = http.send(RawHttp.get("/ak/analytics.js").header("Host", "127.0.0.1")
          .header("Accept-Encoding", "gzip, br"));
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.first("Content-Encoding")).isEqualTo("gzip");
      assertThat(response.first("Vary")).contains("Accept-Encoding");
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
        assertThat(in.readAllBytes()).isEqualTo(FIXTURE);
      }
    }
  }

  @Test
  void aPreflightFromAListedOriginIsAnswered() {
    Browser browser = visitor().header("Origin", PARTNER)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type,authorization");
    Browser.Response response = browser.send("OPTIONS", "/ak/v1/t", null, null);
    assertThat(response.status()).isEqualTo(204);
    assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(PARTNER);
    assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
    assertThat(response.header("Access-Control-Allow-Headers")).contains("Content-Type", "Authorization");
    assertThat(response.header("Vary")).contains("Origin");
  }

  @Test
  void aPreflightFromAnyOtherOriginIsRefused() {
    long before = refused("origin");
    Browser browser = visitor().header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "POST");
    Browser.Response response = browser.send("OPTIONS", "/ak/v1/t", null, null);
    assertRefusal(response, 403, "origin");
    assertThat(response.header("Access-Control-Allow-Origin")).isNull();
    assertThat(refused("origin")).isGreaterThan(before);
  }

  @Test
  void aPostFromAListedOriginIsAcceptedWithCorsHeaders() {
    Browser browser = visitor().header("Origin", PARTNER);
    String id = uniqueId("partner");
    Browser.Response response = post(browser, "/v1/t", track(id, "x", "E"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(PARTNER);
    awaitEvent(id);
  }

  @Test
  void aPostFromTheSitesOwnOriginIsAccepted() {
    Browser browser = visitor().header("Origin", "http://" + container.base().getAuthority());
    String id = uniqueId("same");
    assertThat(post(browser, "/v1/t", track(id, "x", "E")).status()).isEqualTo(200);
    awaitEvent(id);
  }

  @Test
  void aCrossOriginPostThatIsNotAllowedIsRefusedAndNotQueued() {
    Browser browser = visitor();
    String id = uniqueId("evil");
    for (String origin : new String[] {"https://evil.example", "null", "http://127.0.0.1:1"}) {
      browser.header("Origin", origin);
      assertRefusal(post(browser, "/v1/t", track(id, "x", "E")), 403, "origin");
    }
    browser.header("Origin", null);
    assertNotQueued(browser, id);
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void anEventOverThirtyTwoKilobytesIsRefusedAndNotQueued() {
    Browser browser = visitor();
    String id = uniqueId("big");
    long before = refused("too-large");
    String big = track(id, "x", "E").replace("\"plan\":\"pro\"", "\"pad\":\"" + "x".repeat(33 * 1024) + "\"");
    assertRefusal(post(browser, "/v1/t", big), 413, "over 32 KB");
    assertThat(refused("too-large")).isGreaterThan(before);
    assertNotQueued(browser, id);
  }

  @Test
  void aChunkedBodyOverTheLimitIsCutOffAndRefused() throws IOException {
    Browser browser = visitor();
    String id = uniqueId("chunked");
    byte[] body = track(id, "x", "E").replace("\"plan\":\"pro\"", "\"pad\":\"" + "y".repeat(40 * 1024) + "\"")
        .getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += 4096) {
      int n = Math.min(4096, body.length - at);
      chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(body, at, n);
      chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    try (RawHttp http = new RawHttp(container.base())) {
      RawHttp.Response response = http.send(RawHttp.request("POST", "/ak/v1/t").header("Host", "127.0.0.1")
          .header("X-Forwarded-For", address(browser)).header("Content-Type", "text/plain")
          .header("Transfer-Encoding", "chunked").body(chunked.toByteArray()));
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.bodyText()).contains("over 32 KB");
    }
    assertNotQueued(browser, id);
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedWithoutWaitingForTheBody() throws IOException {
    Browser browser = visitor();
    byte[] start = "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"properties\":{\"pad\":\""
        .getBytes(StandardCharsets.US_ASCII);
    try (RawHttp http = new RawHttp(container.base())) {
      // 600 KB announced, a few bytes sent: the answer must come without the rest (or the read times out)
      RawHttp.Response response = http.send(RawHttp.request("POST", "/ak/v1/batch").header("Host", "127.0.0.1")
          .header("X-Forwarded-For", address(browser)).header("Content-Type", "text/plain")
          .header("Content-Length", Integer.toString(600 * 1024)).body(start));
      assertThat(response.status()).isEqualTo(413);
      assertThat(response.bodyText()).contains("over 500 KB");
      assertThat(response.first("Connection")).isEqualToIgnoringCase("close");
    }
  }

  @Test
  void aBatchOverFiveHundredKilobytesIsRefused() {
    Browser browser = visitor();
    StringBuilder batch = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 20; i++) {
      batch.append(i == 0 ? "" : ",").append(track(uniqueId("b" + i), "x", "E")
          .replace("\"plan\":\"pro\"", "\"pad\":\"" + "p".repeat(26 * 1024) + "\""));
    }
    // Sent chunked, so the body is counted as it arrives (a declared length over the limit is refused at
    // once, and the connection closed, by aDeclaredLengthOverTheLimitIsRefusedWithoutWaitingForTheBody).
    assertRefusal(browser.sendChunked("POST", "/ak/v1/batch", "text/plain", batch.append("]}").toString()), 413,
        "over 500 KB");
  }

  @Test
  void aBatchOfMoreThanAHundredEventsIsRefusedAndNothingOfItQueued() {
    Browser browser = visitor();
    String first = uniqueId("many");
    StringBuilder batch = new StringBuilder("{\"batch\":[").append(track(first, "x", "E"));
    for (int i = 1; i < 101; i++) {
      batch.append(",{\"type\":\"track\",\"event\":\"E\"}");
    }
    long before = refused("too-many-events");
    assertRefusal(post(browser, "/v1/b", batch.append("]}").toString()), 413, "101 events");
    assertThat(refused("too-many-events")).isGreaterThan(before);
    assertNotQueued(browser, first);
  }

  @Test
  void anEventInsideABatchThatIsOverThirtyTwoKilobytesRefusesTheBatch() {
    Browser browser = visitor();
    String small = uniqueId("small");
    String body = "{\"batch\":[" + track(small, "x", "E") + "," + track(uniqueId("huge"), "x", "E")
        .replace("\"plan\":\"pro\"", "\"pad\":\"" + "h".repeat(40 * 1024) + "\"") + "]}";
    assertRefusal(post(browser, "/v1/b", body), 413, "batch[1]: the event is over 32 KB");
    assertNotQueued(browser, small);
  }

  @Test
  void invalidJsonIsRefused() {
    Browser browser = visitor();
    long before = refused("invalid-json");
    for (String body : new String[] {"", "{", "{\"type\":\"track\",}", "nul", "{\"a\":1} {\"b\":2}",
        "[".repeat(5000) + "]".repeat(5000)}) {
      assertRefusal(post(browser, "/v1/t", body), 400, "not JSON");
    }
    assertThat(refused("invalid-json")).isEqualTo(before + 6);
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() throws IOException {
    Browser browser = visitor();
    byte[] body = "{\"type\":\"track\",\"event\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    try (RawHttp http = new RawHttp(container.base())) {
      RawHttp.Response response = http.send(RawHttp.request("POST", "/ak/v1/t").header("Host", "127.0.0.1")
          .header("X-Forwarded-For", address(browser)).header("Content-Type", "text/plain")
          .header("Content-Length", Integer.toString(body.length)).body(body));
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.bodyText()).contains("UTF-8");
    }
  }

  @Test
  void eventsOfTheWrongShapeAreRefusedNamingTheReason() {
    Browser browser = visitor();
    assertRefusal(post(browser, "/v1/t", "[1,2]"), 400, "not a JSON object");
    assertRefusal(post(browser, "/v1/t", "{\"type\":\"page\"}"), 400, "does not match the path");
    assertRefusal(post(browser, "/v1/t", "{\"type\":\"track\",\"event\":\"E\",\"properties\":\"x\"}"), 400,
        "properties is not an object");
    assertRefusal(post(browser, "/v1/b", "{\"batch\":{}}"), 400, "batch array");
    assertRefusal(post(browser, "/v1/b", "{\"batch\":[{\"type\":\"track\",\"event\":\"E\"},7]}"), 400,
        "batch[1]: the event is not a JSON object");
  }

  @Test
  void anUnknownPathIsNotFound() {
    Browser browser = visitor();
    long before = refused("unknown-path");
    assertRefusal(post(browser, "/v1/x", "{}"), 404, "no such path");
    assertRefusal(post(browser, "/v2/t", "{}"), 404, "no such path");
    assertThat(refused("unknown-path")).isEqualTo(before + 2);
  }

  @Test
  void aWrongMethodIsRefusedWithAllow() {
    Browser browser = visitor();
    Browser.Response get = browser.get("/ak/v1/t");
    assertRefusal(get, 405, "method GET");
    assertThat(get.header("Allow")).isEqualTo("POST, OPTIONS");
    Browser.Response put = browser.send("PUT", "/ak/v1/projects/WK/settings", "text/plain", "{}");
    assertRefusal(put, 405, "method PUT");
    assertThat(put.header("Allow")).isEqualTo("GET");
    assertRefusal(browser.send("DELETE", "/ak/analytics.js", null, null), 405, "not allowed");
  }

  @Test
  void aWrongContentTypeIsRefused() {
    Browser browser = visitor();
    String id = uniqueId("form");
    long before = refused("content-type");
    assertRefusal(browser.send("POST", "/ak/v1/t", "application/x-www-form-urlencoded", track(id, "x", "E")), 415,
        "Content-Type");
    assertRefusal(browser.send("POST", "/ak/v1/t", null, track(id, "x", "E")), 415, "Content-Type");
    assertRefusal(browser.send("POST", "/ak/v1/t", "text/plain; charset=iso-8859-1", track(id, "x", "E")), 415,
        "UTF-8");
    assertThat(refused("content-type")).isEqualTo(before + 3);
    assertNotQueued(browser, id);
  }

  @Test
  void aClientOverItsBudgetGets429WithRetryAfterAndNothingQueued() {
    Browser browser = visitor();
    StringBuilder hundred = new StringBuilder();
    for (int i = 1; i < 100; i++) {
      hundred.append(",{\"type\":\"track\",\"event\":\"E\"}");
    }
    for (int i = 0; i < 6; i++) { // the whole budget of 600 events at once
      assertThat(post(browser, "/v1/b", "{\"batch\":[{\"type\":\"track\",\"event\":\"E\"}" + hundred + "]}")
          .status()).isEqualTo(200);
    }
    String id = uniqueId("over");
    long before = refused("rate-limit");
    // 100 more: the bucket refills one event per 100 ms, far from 100 events
    Browser.Response response = post(browser, "/v1/b", "{\"batch\":[" + track(id, "x", "E") + hundred + "]}");
    assertRefusal(response, 429, "too many events");
    assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(refused("rate-limit")).isEqualTo(before + 1);

    Browser other = visitor(); // another address still has its budget
    String fine = uniqueId("other");
    assertThat(post(other, "/v1/t", track(fine, "x", "E")).status()).isEqualTo(200);
    awaitEvent(fine);
    assertThat(delivered()).noneMatch(e -> id.equals(e.getString("messageId", null)));
  }

  @Test
  void aSkippedBotGets204AndNothingIsQueued() {
    Browser bot = visitor().header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    String id = uniqueId("bot");
    long before = refused("untracked");
    Browser.Response response = post(bot, "/v1/t", track(id, "x", "E"));
    assertThat(response.status()).isEqualTo(204);
    assertThat(response.setCookies()).isEmpty();
    assertThat(refused("untracked")).isEqualTo(before + 1);
    assertNotQueued(visitor(), id);
  }

  @Test
  void refusalsAreCountedByReasonInTheMBean() throws Exception {
    Browser browser = visitor();
    post(browser, "/v1/nope", "{}");
    ObjectName name = new ObjectName("dev.audiencekit:type=AnalyticsFilter,context=/,name=analytics");
    TabularData byReason = (TabularData) ManagementFactory.getPlatformMBeanServer()
        .getAttribute(name, "CollectRefusedByReason");
    CompositeData unknownPath = byReason.get(new Object[] {"unknown-path"});
    assertThat((Long) unknownPath.get("value")).isPositive();
    assertThat((Long) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "CollectEvents")).isNotNegative();
  }

  @Test
  void hostileBodiesOnEveryPathNeverGetA5xx() {
    Browser browser = visitor();
    Random random = new Random(0xC011EC7L);
    String[] paths = {"/v1/t", "/v1/p", "/v1/i", "/v1/g", "/v1/a", "/v1/s", "/v1/b", "/v1/batch"};
    String[] pieces = {"{", "}", "[", "]", "\"type\"", ":", ",", "\"track\"", "\"batch\"", "null", "1e999", "-0",
        "\"\\u0000\"", "\"\\ud800\"", "true", "\"context\"", "{\"page\":1}", "\"messageId\"", "\"timestamp\"",
        "\"2026-13-45T99:99:99Z\"", "\"" + "x".repeat(300) + "\""};
    Set<Integer> statuses = new java.util.TreeSet<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder body = new StringBuilder();
      for (int n = random.nextInt(30); n > 0; n--) {
        body.append(pieces[random.nextInt(pieces.length)]);
      }
      Browser.Response response = post(browser, paths[random.nextInt(paths.length)], body.toString());
      statuses.add(response.status());
      assertThat(response.status()).as(body.toString()).isLessThan(500);
    }
    assertThat(statuses).contains(400);
  }
}
