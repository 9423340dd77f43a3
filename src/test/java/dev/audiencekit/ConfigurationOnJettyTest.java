package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Init-params that change what the filter writes, each on its own embedded Jetty. */
class ConfigurationOnJettyTest {
  private Container container;

  private Browser start(String... pairs) {
    Map<String, String> params = TestApp.defaults();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    container = Container.start(Container.Kind.JETTY, Container.testWebapp(), new TestApp(params));
    return new Browser(container.base());
  }

  @AfterEach
  void stop() {
    if (container != null) {
      container.close();
    }
  }

  private static JsonObject json(Browser.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  @Test
  void persistOffWritesNoCookiesAndGivesEachRequestAFreshId() {
    Browser browser = start("persist", "false");
    Browser.Response first = browser.get("/probe?do=identify&userId=u1");
    assertThat(first.setCookies()).isEmpty();
    JsonObject second = json(browser.get("/probe"));
    assertThat(second.getString("anonymousId")).isNotEqualTo(json(first).getString("anonymousId"));
    assertThat(second.get("userId")).isEqualTo(jakarta.json.JsonValue.NULL);
  }

  @Test
  void classicFormatWritesJsonQuotedValuesAndStillReadsThem() {
    Browser browser = start("cookie.format", "classic");
    String id = json(browser.get("/probe")).getString("anonymousId");
    assertThat(browser.cookie("ajs_anonymous_id")).isEqualTo("%22" + id + "%22");
    assertThat(json(browser.get("/probe")).getString("anonymousId")).isEqualTo(id);
  }

  @Test
  void httpsBehindATrustedProxyGetsSecureCookiesOnTheRegistrableDomain() {
    Browser browser = start().header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example.co.uk");
    Browser.Response response = browser.get("/probe");
    assertThat(response.setCookie("ajs_anonymous_id")).contains("; Domain=example.co.uk").contains("; Secure");
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
    Browser browser = start("trustedProxies", "10.0.0.0/8")
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.9");
    Browser.Response response = browser.get("/probe?do=track&event=Seen");
    assertThat(response.setCookie("ajs_anonymous_id")).doesNotContain("Secure");
  }

  @Test
  void sameSiteNoneIsAlwaysSecure() {
    Browser browser = start("cookie.sameSite", "None");
    assertThat(browser.get("/probe").setCookie("ajs_anonymous_id")).contains("SameSite=None").contains("; Secure");
  }

  @Test
  void explicitDomainThatDoesNotMatchTheHostFallsBackToHostOnly() {
    Browser browser = start("cookie.domain", "example.com");
    assertThat(browser.get("/probe").setCookie("ajs_anonymous_id")).doesNotContain("Domain=");
  }

  @Test
  void emptyBackupCookieNameDisablesTheBackup() {
    Browser browser = start("backupCookie", "");
    Browser.Response response = browser.get("/probe");
    assertThat(response.setCookie("ak_anonymous_id")).isNull();
    assertThat(response.setCookies()).hasSize(1);
  }

  @Test
  void cookieLifetimesFollowTheSettings() {
    Browser browser = start("cookie.maxAgeDays", "7", "backupCookie.maxAgeDays", "30");
    Browser.Response response = browser.get("/probe");
    assertThat(response.setCookie("ajs_anonymous_id")).contains("Max-Age=604800");
    assertThat(response.setCookie("ak_anonymous_id")).contains("Max-Age=2592000");
  }

  @Test
  void invalidInitParamStopsTheApplicationNamingIt() {
    assertThatThrownBy(() -> start("cookie.maxAgeDays", "-3"))
        .hasStackTraceContaining("init-param cookie.maxAgeDays: '-3'");
  }

  @Test
  void formerFingerprintSecretStopsTheApplicationNamingSecretWithoutShowingTheValue() {
    assertThatThrownBy(() -> start("fingerprint.secret", "Zq7vN2-an-example-secret-of-40-characters"))
        .hasStackTraceContaining("init-param fingerprint.secret: is no longer read; use secret instead")
        .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("Zq7v"));
  }

  @Test
  void tooShortSecretStopsTheApplicationWithoutShowingIt() {
    assertThatThrownBy(() -> start("secret", "Zq7vN2-short-secret"))
        .hasStackTraceContaining("init-param secret: (not shown, 19 characters) is too short")
        .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("Zq7v"));
  }

  private static String stackTrace(Throwable e) {
    java.io.StringWriter out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  @Test
  void unknownInitParamStopsTheApplicationNamingIt() {
    assertThatThrownBy(() -> start("cookie.maxage", "3"))
        .hasStackTraceContaining("init-param cookie.maxage: is not a known parameter");
  }
}
