package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.testing.FakeRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consent cookies a visitor (or a broken banner) can send: none of them is an error, none of them is
 * read as a decision, under both cookie sources and through the whole policy.
 */
class HostileConsentCookiesTest {
  private static final String JSON_COOKIE = "site_consent";

  static Stream<Arguments> hostileValues() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "empty", "");
    add(cases, "only quotes", "\"\"");
    add(cases, "lone percent", "%");
    add(cases, "truncated escape", "%7B%22Analytics%22%3Atrue%7");
    add(cases, "invalid UTF-8 escape", "%7B%22A%E0%A4%22%3Atrue%7D");
    add(cases, "encoded surrogate", "%7B%22%ED%A0%80%22%3Atrue%7D");
    add(cases, "overlong UTF-8", "%7B%22%C0%AF%22%3Atrue%7D");
    add(cases, "not JSON", "Analytics=true");
    add(cases, "unterminated object", "{\"Analytics\":true");
    add(cases, "unterminated string", "{\"Analytics:true}");
    add(cases, "trailing comma", "{\"Analytics\":true,}");
    add(cases, "single quotes", "{'Analytics':true}");
    add(cases, "number values", "{\"Analytics\":1,\"Advertising\":0}");
    add(cases, "string values", "{\"Analytics\":\"true\"}");
    add(cases, "null values", "{\"Analytics\":null}");
    add(cases, "nested preferences", "{\"categoryPreferences\":{\"Analytics\":true}}");
    add(cases, "array", "[true,true]");
    add(cases, "deeply nested arrays", "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}");
    add(cases, "deeply nested objects", "{\"a\":" + "{\"a\":".repeat(600) + "1" + "}".repeat(601));
    add(cases, "unbalanced nesting", "{\"a\":" + "[".repeat(4000));
    add(cases, "control characters in name", "{\"Ana\u0001lytics\":true}");
    add(cases, "escaped control character in name", "{\"Ana\\u0000lytics\":true}");
    add(cases, "escaped newline in name", "%7B%22Ana%5Cnlytics%22%3Atrue%7D");
    add(cases, "over 4096 characters", "{\"Analytics\":true,\"x\":\"" + "y".repeat(4100) + "\"}");
    add(cases, "over 64 categories", manyCategories(65));
    add(cases, "NUL byte", "{\"Analytics\":true}\u0000");
    add(cases, "script", "</script><script>alert(1)</script>");
    add(cases, "OneTrust garbage groups", "groups=%3Cscript%3E%3A1%2C%3A%3A%3A%2C,,,");
    add(cases, "OneTrust flags other than 0 and 1", "groups=C0002%3Atrue%2CC0004%3Ayes%2CC0001%3A-1");
    add(cases, "OneTrust empty groups", "groups=&hosts=");
    add(cases, "OneTrust huge groups", "groups=" + "C0002%3A1%2C".repeat(400));
    add(cases, "OneTrust too many groups", "groups=" + oneTrustGroups(65));
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, String value) {
    cases.add(Arguments.of(name, value));
  }

  private static String manyCategories(int n) {
    StringBuilder json = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      json.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":true");
    }
    return json.append('}').toString();
  }

  private static String oneTrustGroups(int n) {
    StringBuilder groups = new StringBuilder();
    for (int i = 0; i < n; i++) {
      groups.append(i == 0 ? "" : ",").append("G").append(i).append(":1");
    }
    return groups.toString();
  }

  private static ConsentPolicy policy(String consent) {
    Settings settings = Settings.of(Map.of("consent", consent, "consent.required", "Analytics"));
    return ConsentPolicy.create(settings, new Metrics(), Clock.systemUTC());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void aHostileJsonConsentCookieIsUndecided(String name, String value) {
    ConsentState state = policy("cookie:" + JSON_COOKIE)
        .evaluate(FakeRequest.withHeaders("Cookie", JSON_COOKIE + "=" + value));
    assertThat(state.isDecided()).isFalse();
    assertThat(state.isGranted()).isFalse();
    assertThat(state.contextJson()).isEqualTo("{\"categoryPreferences\":{}}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void aHostileOneTrustCookieIsUndecided(String name, String value) {
    ConsentState state = policy("onetrust").evaluate(FakeRequest.withHeaders("Cookie", "OptanonConsent=" + value));
    assertThat(state.isDecided()).isFalse();
    assertThat(state.isGranted()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileValues")
  void aHostileMarkCookieIsNoPreviousConsent(String name, String value) {
    ConsentState state = policy("cookie:" + JSON_COOKIE)
        .evaluate(FakeRequest.withHeaders("Cookie", "ak_consent=" + value));
    assertThat(state.previousMark()).isNull();
    assertThat(state.isChanged()).isFalse();
    assertThat(state.isRevoked()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void theFirstOfTwoConsentCookiesWins() {
    ConsentState state = policy("cookie:" + JSON_COOKIE).evaluate(FakeRequest.withHeaders(
        "Cookie", JSON_COOKIE + "={\"Analytics\":false}; " + JSON_COOKIE + "={\"Analytics\":true}"));
    assertThat(state.isGranted()).isFalse();
  }

  @org.junit.jupiter.api.Test
  void theFirstOfTwoCookieHeadersWins() {
    ConsentState state = policy("cookie:" + JSON_COOKIE).evaluate(new FakeRequest()
        .header("Cookie", JSON_COOKIE + "={\"Analytics\":true}")
        .header("Cookie", JSON_COOKIE + "={\"Analytics\":false}").build());
    assertThat(state.isGranted()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void aHugeCookieHeaderIsReadWithinItsBounds() {
    String header = "pad=" + "x".repeat(100_000) + "; " + JSON_COOKIE + "={\"Analytics\":true}";
    ConsentState state = policy("cookie:" + JSON_COOKIE).evaluate(FakeRequest.withHeaders("Cookie", header));
    assertThat(state.isDecided()).isFalse();
  }
}
