package dev.audiencekit.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.sink.MemorySink;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Spring MVC application in a real container, talked to over loopback HTTP with no cookie jar, so
 * every request says exactly which cookies it sends. A "first visit" sends none and must get both
 * identity cookies on that very response, whichever way the response is produced: a JSP view (a
 * forward), a redirect after a form POST, an error page after an exception or {@code sendError}, a view
 * rendered after an async hand-off. Subclasses start the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringMvcContract {
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern SHOWN_ID = Pattern.compile("<span id=\"anonymous-id\">([^<]*)</span>");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicLong VISITORS = new AtomicLong();

  /** Starts the application; answers its address. */
  abstract URI start() throws Exception;

  /** The running application's ServletContext, where the filter publishes its delivery. */
  abstract ServletContext servletContext();

  abstract void stop() throws Exception;

  private URI base;

  @BeforeAll
  void startContainer() throws Exception {
    base = start();
  }

  @AfterAll
  void stopContainer() throws Exception {
    stop();
  }

  @Test
  void firstVisitToAJspViewGetsBothCookiesOnTheVeryFirstResponse() throws Exception {
    HttpResponse<String> first = send(get("/"));

    assertThat(first.statusCode()).isEqualTo(200);
    String anonymousId = anonymousId(first);
    assertThat(anonymousId).matches(UUID);
    assertThat(setCookie(first, "ajs_anonymous_id")).doesNotContainIgnoringCase("HttpOnly");
    assertThat(cookie(first, "ak_anonymous_id")).hasValueSatisfying(v -> assertThat(v).endsWith("." + anonymousId));
    assertThat(setCookie(first, "ak_anonymous_id")).containsIgnoringCase("HttpOnly");
  }

  @Test
  void jspTagsRenderTheCookiesIdAndSendThePageEvent() throws Exception {
    HttpResponse<String> first = send(get("/"));
    String anonymousId = anonymousId(first);

    assertThat(shownId(first)).isEqualTo(anonymousId);
    assertThat(first.body()).as("<analytics:snippet> output").contains("wk-spring").contains(anonymousId);
    assertThat(awaitEvent("page", "Home", anonymousId).getString("type")).isEqualTo("page");
  }

  @Test
  void idsStayTheSameAcrossRequestsThatSendTheCookies() throws Exception {
    String anonymousId = anonymousId(send(get("/")));
    String cookies = "ajs_anonymous_id=" + anonymousId + "; ak_anonymous_id=" + anonymousId;

    HttpResponse<String> posted = send(post("/orders", "item=mug").header("Cookie", cookies));
    HttpResponse<String> done = send(get("/orders/done").header("Cookie", cookies));
    HttpResponse<String> home = send(get("/").header("Cookie", cookies));

    assertThat(posted.statusCode()).isEqualTo(302);
    assertThat(shownId(done)).isEqualTo(anonymousId);
    assertThat(shownId(home)).isEqualTo(anonymousId);
    assertThat(awaitEvent("track", "Order Placed", anonymousId).getJsonObject("properties").getString("item"))
        .isEqualTo("mug");
  }

  @Test
  void firstVisitFormPostThenRedirectGetsBothCookiesAndTracksForThatId() throws Exception {
    HttpResponse<String> posted = send(post("/orders", "item=kettle"));

    assertThat(posted.statusCode()).isEqualTo(302);
    assertThat(posted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/orders/done"));
    String anonymousId = anonymousId(posted);
    assertThat(cookie(posted, "ak_anonymous_id")).hasValueSatisfying(v -> assertThat(v).endsWith("." + anonymousId));
    assertThat(awaitEvent("track", "Order Placed", anonymousId).getJsonObject("properties").getString("item"))
        .isEqualTo("kettle");
  }

  @Test
  void firstVisitEndingOnTheErrorPageAfterAnExceptionGetsBothCookies() throws Exception {
    HttpResponse<String> failed = send(get("/boom"));

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.body()).contains("<h1 id=\"error\">Error 500</h1>");
    String anonymousId = anonymousId(failed);
    assertThat(cookie(failed, "ak_anonymous_id")).hasValueSatisfying(v -> assertThat(v).endsWith("." + anonymousId));
    assertThat(shownId(failed)).isEqualTo(anonymousId);
  }

  @Test
  void firstVisitEndingOnTheErrorPageAfterSendErrorGetsBothCookies() throws Exception {
    HttpResponse<String> missing = send(get("/missing"));

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("<h1 id=\"error\">Error 404</h1>");
    String anonymousId = anonymousId(missing);
    assertThat(cookie(missing, "ak_anonymous_id")).hasValueSatisfying(v -> assertThat(v).endsWith("." + anonymousId));
    assertThat(shownId(missing)).isEqualTo(anonymousId);
  }

  @Test
  void firstVisitToAViewRenderedAfterAnAsyncHandOffGetsBothCookies() throws Exception {
    HttpResponse<String> later = send(get("/later"));

    assertThat(later.statusCode()).isEqualTo(200);
    String anonymousId = anonymousId(later);
    assertThat(cookie(later, "ak_anonymous_id")).hasValueSatisfying(v -> assertThat(v).endsWith("." + anonymousId));
    assertThat(shownId(later)).isEqualTo(anonymousId);
  }

  // ------------------------------------------------------------------ helpers

  /** A request from a visitor of its own (a User-Agent nobody else sends, so no fingerprint joins two tests). */
  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
        .header("User-Agent", "spring-mvc-check/" + VISITORS.incrementAndGet() + " " + getClass().getSimpleName());
  }

  private HttpRequest.Builder post(String path, String form) {
    return get(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String anonymousId(HttpResponse<String> response) {
    return cookie(response, "ajs_anonymous_id").orElseThrow(() -> new AssertionError(response.request().method()
        + " " + response.uri().getPath() + " answered " + response.statusCode() + " without ajs_anonymous_id;"
        + " Set-Cookie: " + response.headers().allValues("Set-Cookie")));
  }

  private static String shownId(HttpResponse<String> response) {
    Matcher shown = SHOWN_ID.matcher(response.body());
    assertThat(shown.find()).as("the page shows <analytics:anonymousId/>: " + response.body()).isTrue();
    return shown.group(1);
  }

  private static Optional<String> cookie(HttpResponse<?> response, String name) {
    Matcher value = Pattern.compile("^" + name + "=([^;]*)").matcher(setCookie(response, name));
    return value.find() ? Optional.of(value.group(1)) : Optional.empty();
  }

  private static String setCookie(HttpResponse<?> response, String name) {
    return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(name + "=")).findFirst()
        .orElse("");
  }

  /** The event of {@code type} named {@code name} (event or page name) for {@code anonymousId}; waits up to 10 s. */
  private JsonObject awaitEvent(String type, String name, String anonymousId) {
    Delivery delivery = (Delivery) servletContext().getAttribute(AnalyticsFilter.DELIVERY_ATTRIBUTE);
    MemorySink sink = delivery.sink(MemorySink.class).orElseThrow();
    return await("a " + type + " '" + name + "' for " + anonymousId).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> sink.recent().stream().map(text -> Json.createReader(new StringReader(text)).readObject())
            .filter(e -> type.equals(e.getString("type", null)) && anonymousId.equals(e.getString("anonymousId", null))
                && (name.equals(e.getString("event", null)) || name.equals(e.getString("name", null))))
            .findFirst(), Optional::isPresent)
        .orElseThrow();
  }

  static List<String> tldJars() {
    return List.of(".*/jakarta\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$", ".*/audiencekit-servlet[^/]*\\.jar$",
        ".*/audiencekit-servlet/target/classes/?$");
  }
}
