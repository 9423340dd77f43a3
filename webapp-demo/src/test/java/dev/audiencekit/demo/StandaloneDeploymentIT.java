package dev.audiencekit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo WAR deployed into each standalone container of {@link Deployment#all()} (copied into
 * {@code webapps/}, the container started as a process on 127.0.0.1), checked over plain HTTP with no
 * cookie jar. A visitor who has not answered the consent banner gets no identity cookie and no
 * analytics.js; for one who accepted (the banner's {@code shop_consent} cookie) the very first response
 * carries both identity cookies, including a response that a servlet forwarded to a JSP, the JSP tags
 * render the same id, the next request keeps it, and analytics.js comes from the WAR's own classpath.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.audiencekit.demo.Deployment#all")
class StandaloneDeploymentIT {
  private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  /** The banner's cookie after "Accept", URL-encoded as its script writes it. */
  static final String ACCEPTED = "shop_consent=" + java.net.URLEncoder.encode(
      "{\"Analytics\":true,\"Advertising\":false}", java.nio.charset.StandardCharsets.UTF_8);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static StandaloneServer server;

  @Parameter
  Deployment deployment;

  @BeforeParameterizedClassInvocation
  static void deploy(Deployment deployment) throws IOException {
    server = deployment.start();
  }

  @AfterParameterizedClassInvocation
  static void undeploy() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  @Test
  void visitorWhoHasNotDecidedGetsNoIdentityCookieAndNoAnalyticsJs() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(server.base().resolve("/")).timeout(Duration.ofSeconds(20))
        .header("User-Agent", "standalone-check-" + System.nanoTime()).build();
    HttpResponse<String> first = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().allValues("Set-Cookie")).noneMatch(h -> h.startsWith("ajs_") || h.startsWith("ak_"));
    assertThat(first.body()).contains("id=\"consent-banner\"").doesNotContain("/ak/analytics.js");
  }

  @Test
  void firstVisitGetsTheReadableCookieAndTheHttpOnlyBackupWithOneId() throws Exception {
    HttpResponse<String> first = get("/", null);

    assertThat(first.statusCode()).isEqualTo(200);
    String anonymousId = cookie(first, "ajs_anonymous_id").orElseThrow(() -> missing(first, "ajs_anonymous_id"));
    assertThat(anonymousId).matches(UUID);
    assertThat(header(first, "ajs_anonymous_id")).doesNotContainIgnoringCase("HttpOnly");
    assertThat(cookie(first, "ak_anonymous_id")).hasValueSatisfying(backup -> assertThat(backup).endsWith("." + anonymousId));
    assertThat(header(first, "ak_anonymous_id")).containsIgnoringCase("HttpOnly");
  }

  @Test
  void jspTagsRenderTheIdOfTheCookie() throws Exception {
    HttpResponse<String> first = get("/", null);
    String anonymousId = cookie(first, "ajs_anonymous_id").orElseThrow(() -> missing(first, "ajs_anonymous_id"));

    assertThat(first.body()).contains("id=\"visitor-anonymous-id\">" + anonymousId + "<");
    assertThat(first.body()).as("<analytics:snippet> output").contains("\"/ak/analytics.js\"").contains(anonymousId);
  }

  @Test
  void analyticsJsIsServedFromTheWarsClasspath() throws Exception {
    HttpResponse<String> bundle = get("/ak/analytics.js", null);

    assertThat(bundle.statusCode()).isEqualTo(200);
    assertThat(bundle.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
    assertThat(bundle.body()).hasSizeGreaterThan(50_000).contains("analytics");
  }

  @Test
  void aReturningVisitorKeepsItsId() throws Exception {
    HttpResponse<String> first = get("/", null);
    String anonymousId = cookie(first, "ajs_anonymous_id").orElseThrow(() -> missing(first, "ajs_anonymous_id"));

    HttpResponse<String> again = get("/product?sku=MUG-01",
        "ajs_anonymous_id=" + anonymousId + "; ak_anonymous_id=" + anonymousId);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("id=\"visitor-anonymous-id\">" + anonymousId + "<");
  }

  @Test
  void firstVisitToAForwardedResponseGetsBothCookies() throws Exception {
    // ShopServlet forwards to WEB-INF/actions/product-added.jsp, which tracks and redirects.
    HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(server.base().resolve("/shop/cart/add"))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/x-www-form-urlencoded")
        .header("User-Agent", "first-forward-" + System.nanoTime()).header("Cookie", ACCEPTED)
        .POST(HttpRequest.BodyPublishers.ofString("sku=MUG-01")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(posted.statusCode()).isEqualTo(302);
    String anonymousId = cookie(posted, "ajs_anonymous_id").orElseThrow(() -> missing(posted, "ajs_anonymous_id"));
    assertThat(cookie(posted, "ak_anonymous_id")).hasValueSatisfying(backup -> assertThat(backup).endsWith("." + anonymousId));
  }

  // ------------------------------------------------------------------ helpers

  private static HttpResponse<String> get(String path, String cookies) throws Exception {
    // the banner accepted; a User-Agent of its own per request, so no fingerprint ties two tests' first visits together
    HttpRequest.Builder request = HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofSeconds(20))
        .header("User-Agent", "standalone-check-" + System.nanoTime());
    request.header("Cookie", cookies == null ? ACCEPTED : ACCEPTED + "; " + cookies);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<String> cookie(HttpResponse<?> response, String name) {
    Matcher value = Pattern.compile("^" + name + "=([^;]*)").matcher(header(response, name));
    return value.find() ? Optional.of(value.group(1)) : Optional.empty();
  }

  private static String header(HttpResponse<?> response, String cookieName) {
    return response.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(cookieName + "="))
        .findFirst().orElse("");
  }

  private AssertionError missing(HttpResponse<?> response, String cookie) {
    List<String> cookies = response.headers().allValues("Set-Cookie");
    return new AssertionError(deployment + ": " + response.request().method() + " " + response.uri()
        + " answered " + response.statusCode() + " without " + cookie + "; Set-Cookie: " + cookies
        + "\nend of the server log:\n" + server.logTail(40));
  }
}
