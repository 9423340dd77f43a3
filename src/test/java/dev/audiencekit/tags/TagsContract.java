package dev.audiencekit.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Golden-file tests of the tag library: JSPs under {@code src/test/webapp/tags} compiled by the
 * container's Jasper, served over loopback, compared byte for byte with the HTML (or the normalised
 * events) under {@code src/test/resources/dev/audiencekit/tags/golden}. Subclasses pick the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TagsContract {
  /** A text that tries every way out of its context: tags, quotes, line terminators, non-ASCII. */
  static final String HOSTILE = "</script><script>alert(1)</script>\"'` & <!-- \u2028\u2029 Zoë 東京 😀";
  /** The same without the characters an id may not hold. */
  static final String HOSTILE_WITH_BREAKS = HOSTILE + "\nline\r\n\ttab";

  private Container container;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    java.util.Map<String, String> params = TestApp.defaults();
    params.put("collect", "/ak"); // first-party collection: only snippets without explicit hosts change
    params.put("collect.bundle", "classpath:dev/audiencekit/collect/analytics-fixture.js");
    container = Container.start(kind(), Container.testWebapp(), new TestApp(params));
  }

  @AfterAll
  void stop() {
    if (container != null) {
      container.close();
    }
  }

  Browser visitor(String anonymousId) {
    Browser browser = new Browser(container.base());
    if (anonymousId != null) {
      browser.cookie("ajs_anonymous_id", anonymousId);
    }
    return browser;
  }

  static String golden(String name) throws IOException {
    try (InputStream in = TagsContract.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as("golden file golden/" + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Compares {@code actual} with the golden file; with {@code -Dgolden.write=true} (re)writes the file
   * under src/test/resources instead, for a person to review in the diff.
   */
  static void assertGolden(String actual, String name) throws IOException {
    if (Boolean.getBoolean("golden.write")) {
      java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/dev/audiencekit/tags/golden", name);
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.writeString(file, actual);
      return;
    }
    assertThat(actual).isEqualTo(golden(name));
  }

  static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String body(Browser.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  // ------------------------------------------------------------------ rendering

  @Test
  void identityTagsRenderExactly() throws IOException {
    String html = body(visitor("golden-anon-1").get("/tags/identity.jsp"));
    assertGolden(html, "identity.html");
  }

  @Test
  void anonymousIdIsHtmlEscaped() throws IOException {
    String html = body(visitor("golden-anon-2").get("/tags/identity.jsp?anonymousId=" + q(HOSTILE)));
    assertGolden(html, "identity-hostile.html");
    assertThat(html).doesNotContain("<script>", "\"'");
  }

  @Test
  void snippetRendersExactlyForAnAnonymousVisitor() throws IOException {
    String html = body(visitor("golden-anon-3").get("/tags/snippet.jsp"));
    assertGolden(html, "snippet-page-anonymous.html");
  }

  @Test
  void snippetCarriesHostileIdsEscapedForJavaScript() throws IOException {
    String html = body(visitor("golden-anon-4")
        .get("/tags/snippet.jsp?page=true&userId=" + q(HOSTILE) + "&groupId=" + q("g\u2028'1'")));
    assertGolden(html, "snippet-page-hostile.html");
    String script = html.substring(html.indexOf("<script>") + "<script>".length(), html.lastIndexOf("</script>"));
    assertThat(script).doesNotContain("<", ">", "'", "\u2028", "\u2029");
  }

  @Test
  void snippetPointsAnalyticsJsAtTheFirstPartyEndpoint() throws IOException {
    String html = body(visitor("golden-anon-7").get("/tags/snippet-collect.jsp"));
    assertGolden(html, "snippet-collect-page.html");
  }

  @Test
  void snippetRendersNothingForAContextThatIsNotTracked() throws IOException {
    Browser crawler = visitor(null)
        .header("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    String html = body(crawler.get("/tags/snippet.jsp?page=true"));
    assertGolden(html, "snippet-untracked.html");
    assertThat(html).doesNotContain("<script", "analytics");
  }

  // ------------------------------------------------------------------ events

  @Test
  void eventTagsSendTheExpectedEvents() throws IOException {
    String id = "golden-events-" + kind().name().toLowerCase();
    body(visitor(id).get("/tags/events.jsp?v=" + q(HOSTILE_WITH_BREAKS)));
    List<JsonObject> events = eventsOf(id, 5);
    String actual = events.stream().map(TagsContract::normalise).map(JsonObject::toString)
        .collect(Collectors.joining("\n", "", "\n")).replace(id, "{anonymousId}");
    assertGolden(actual, "events.jsonl");
  }

  @Test
  void resetTagForgetsTheUser() {
    String html = body(visitor("golden-anon-5").get("/tags/reset.jsp"));
    assertThat(html).contains("<p id=\"before\">user-2</p>", "<p id=\"after\">true</p>");
  }

  // ------------------------------------------------------------------ misuse

  @Test
  void tagOutsideTheFilterFailsWithAJspExceptionThatSaysSo() {
    String html = body(visitor(null).get("/static/outside.jsp"));
    assertThat(html).contains("JspException: &lt;analytics:anonymousId&gt; was used in a request that the "
        + "audiencekit filter did not process.");
  }

  @Test
  void misplacedOrInvalidNestedTagsFailNamingTheTag() {
    String html = body(visitor("golden-anon-6").get("/tags/misuse.jsp?bad=" + q("a\u0001b")));
    List<String> lines = html.lines().collect(Collectors.toList());
    assertThat(lines.get(0)).isEqualTo("<p>JspException: &lt;analytics:property&gt; must be nested in "
        + "&lt;analytics:page&gt; or &lt;analytics:track&gt;</p>");
    assertThat(lines.get(1)).isEqualTo(lines.get(0));
    assertThat(lines.get(2)).startsWith("<p>JspException: &lt;analytics:identify&gt;: ").contains("userId");
    assertThat(lines.get(3)).startsWith("<p>JspException: &lt;analytics:track&gt;: ").contains("when");
  }

  // ------------------------------------------------------------------ helpers

  List<JsonObject> eventsOf(String anonymousId, int count) {
    Browser reader = visitor(null);
    return await().atMost(Duration.ofSeconds(10)).until(() -> Json.createReader(
            new StringReader(reader.get("/events").body())).readArray().stream()
        .map(JsonValue::asJsonObject)
        .filter(e -> anonymousId.equals(e.getString("anonymousId", null)))
        .collect(Collectors.toList()), list -> list.size() >= count);
  }

  /** The event without what changes from run to run: messageId, timestamps, the client's details. */
  static JsonObject normalise(JsonObject event) {
    Set<String> volatileTop = Set.of("messageId", "timestamp", "sentAt", "receivedAt", "originalTimestamp");
    Set<String> volatileContext = Set.of("userAgent", "library", "locale");
    JsonObjectBuilder out = Json.createObjectBuilder();
    event.forEach((key, value) -> {
      if (volatileTop.contains(key)) {
        return;
      }
      if (key.equals("context") && value instanceof JsonObject context) {
        JsonObjectBuilder c = Json.createObjectBuilder();
        context.forEach((k, v) -> {
          if (volatileContext.contains(k)) {
            return;
          }
          if (k.equals("page") && v instanceof JsonObject page) {
            c.add(k, withoutPort(page));
          } else if (k.equals("ip") && !"".equals(((jakarta.json.JsonString) v).getString())) {
            c.add(k, "{ip}");
          } else {
            c.add(k, v);
          }
        });
        out.add(key, c);
      } else if (key.equals("properties") && value instanceof JsonObject props) {
        out.add(key, withoutPort(props));
      } else {
        out.add(key, value);
      }
    });
    return out.build();
  }

  private static JsonObject withoutPort(JsonObject object) {
    JsonObjectBuilder out = Json.createObjectBuilder();
    object.forEach((k, v) -> {
      if (k.equals("url") && v instanceof jakarta.json.JsonString s) {
        out.add(k, s.getString().replaceFirst("^http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:{port}"));
      } else {
        out.add(k, v);
      }
    });
    return out.build();
  }
}
