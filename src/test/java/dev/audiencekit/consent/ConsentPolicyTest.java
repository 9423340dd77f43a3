package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieAttributes;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.testing.FakeRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentPolicyTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
  private static final CookieAttributes BACKUP =
      new CookieAttributes("example.com", 400 * 86_400L, Settings.SameSite.LAX, true, true);
  private static final CookieAttributes READABLE =
      new CookieAttributes("example.com", 365 * 86_400L, Settings.SameSite.LAX, true, false);

  private static ConsentPolicy policy(String... pairs) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("consent", "cookie:site_consent");
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    return ConsentPolicy.create(Settings.of(params), new Metrics(), CLOCK);
  }

  private static final ConsentPolicy REQUIRED = policy("consent.required", "Analytics",
      "consent.gpcDenies", "Advertising");

  private static FakeRequest request(String consentJson) {
    FakeRequest request = new FakeRequest();
    if (consentJson != null) {
      request.header("Cookie", "site_consent=" + consentJson);
    }
    return request;
  }

  private static ConsentState evaluate(ConsentPolicy policy, String consentJson, String previousMark) {
    return policy.evaluate(request(consentJson).build(), previousMark);
  }

  private static String markOf(ConsentPolicy policy, String consentJson) {
    return evaluate(policy, consentJson, null).mark();
  }

  // ------------------------------------------------------------------ off

  @Test
  void consentNoneIsOffForEveryRequest() {
    ConsentPolicy off = ConsentPolicy.create(Settings.of(Map.of()), new Metrics(), CLOCK);
    ConsentState state = off.evaluate(request("{\"Analytics\":true}").build());
    assertThat(off.isEnabled()).isFalse();
    assertThat(state).isSameAs(ConsentState.OFF);
    assertThat(state.isGranted()).isTrue();
    assertThat(state.isChanged()).isFalse();
    assertThat(state.contextJson()).isNull();
    assertThat(off.markCookie(state, BACKUP)).isNull();
  }

  @Test
  void recordingADecisionUnderConsentNoneIsAnError() {
    ConsentPolicy off = ConsentPolicy.create(Settings.of(Map.of()), new Metrics(), CLOCK);
    assertThatThrownBy(() -> off.decide(ConsentState.OFF, Map.of("Analytics", true)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("init-param consent");
  }

  // ------------------------------------------------------------------ granted

  @Test
  void withoutARequiredCategoryEverythingIsGrantedAndEventsCarryTheConsent() {
    ConsentPolicy policy = policy();
    ConsentState undecided = evaluate(policy, null, null);
    assertThat(undecided.isGranted()).isTrue();
    assertThat(undecided.contextJson()).isEqualTo("{\"categoryPreferences\":{}}");
    ConsentState denied = evaluate(policy, "{\"Analytics\":false}", null);
    assertThat(denied.isGranted()).isTrue();
    assertThat(denied.contextJson()).isEqualTo("{\"categoryPreferences\":{\"Analytics\":false}}");
  }

  @Test
  void anUndecidedVisitorIsNotGranted() {
    ConsentState state = evaluate(REQUIRED, null, null);
    assertThat(state.isDecided()).isFalse();
    assertThat(state.isGranted()).isFalse();
    assertThat(state.isChanged()).isFalse();
    assertThat(state.mark()).isNull();
  }

  @Test
  void theRequiredCategoryGrantedGrantsIdentity() {
    assertThat(evaluate(REQUIRED, "{\"Analytics\":true}", null).isGranted()).isTrue();
  }

  @Test
  void theRequiredCategoryDeniedOrAbsentDoesNotGrantIdentity() {
    assertThat(evaluate(REQUIRED, "{\"Analytics\":false}", null).isGranted()).isFalse();
    assertThat(evaluate(REQUIRED, "{\"Functional\":true}", null).isGranted()).isFalse();
  }

  // ------------------------------------------------------------------ GPC

  @Test
  void gpcForcesItsCategoryFalseWhateverTheCookieSays() {
    ConsentState state = REQUIRED.evaluate(request("{\"Analytics\":true,\"Advertising\":true}")
        .header("Sec-GPC", "1").build(), null);
    assertThat(state.categoryPreferences()).containsEntry("Advertising", false).containsEntry("Analytics", true);
  }

  @Test
  void gpcAddsItsCategoryAsDeniedToADecisionThatOmitsIt() {
    ConsentState state = REQUIRED.evaluate(request("{\"Analytics\":true}").header("Sec-GPC", " 1 ").build(), null);
    assertThat(state.categoryPreferences()).containsEntry("Advertising", false);
  }

  @Test
  void gpcAloneIsNoDecision() {
    ConsentState state = REQUIRED.evaluate(request(null).header("Sec-GPC", "1").build(), null);
    assertThat(state.isDecided()).isFalse();
  }

  @Test
  void onlyTheExactGpcValueOneCounts() {
    ConsentState state = REQUIRED.evaluate(request("{\"Advertising\":true}").header("Sec-GPC", "0").build(), null);
    assertThat(state.isGranted()).isFalse(); // Analytics absent
    assertThat(state.categoryPreferences()).containsEntry("Advertising", true);
    ConsentState dnt = REQUIRED.evaluate(request("{\"Advertising\":true}").header("DNT", "1").build(), null);
    assertThat(dnt.categoryPreferences()).containsEntry("Advertising", true);
  }

  @Test
  void gpcCanDenyTheRequiredCategory() {
    ConsentPolicy policy = policy("consent.required", "Analytics", "consent.gpcDenies", "Analytics");
    ConsentState state = policy.evaluate(request("{\"Analytics\":true}").header("Sec-GPC", "1").build(), null);
    assertThat(state.isGranted()).isFalse();
  }

  // ------------------------------------------------------------------ change and revocation

  @Test
  void theFirstDecisionIsAChange() {
    ConsentState state = evaluate(REQUIRED, "{\"Analytics\":true}", null);
    assertThat(state.isChanged()).isTrue();
    assertThat(state.isRevoked()).isFalse();
  }

  @Test
  void theSamePreferencesAsBeforeAreNoChange() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true,\"Advertising\":false}");
    ConsentState again = evaluate(REQUIRED, "{\"Advertising\":false,\"Analytics\":true}", mark);
    assertThat(again.isChanged()).isFalse();
  }

  @Test
  void anyCategoryChangingIsAChangeButNotARevocation() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true,\"Advertising\":false}");
    ConsentState state = evaluate(REQUIRED, "{\"Analytics\":true,\"Advertising\":true}", mark);
    assertThat(state.isChanged()).isTrue();
    assertThat(state.isRevoked()).isFalse();
  }

  @Test
  void denyingTheRequiredCategoryAfterGrantingItIsARevocation() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true}");
    ConsentState state = evaluate(REQUIRED, "{\"Analytics\":false}", mark);
    assertThat(state.isRevoked()).isTrue();
    assertThat(state.isChanged()).isTrue();
    assertThat(state.mark()).startsWith("0.");
  }

  @Test
  void losingTheDecisionAfterGrantingIsARevocationWithEmptyPreferences() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true}");
    ConsentState state = evaluate(REQUIRED, null, mark);
    assertThat(state.isRevoked()).isTrue();
    assertThat(state.isChanged()).isTrue();
    assertThat(state.contextJson()).isEqualTo("{\"categoryPreferences\":{}}");
  }

  @Test
  void aDenialAfterADenialIsNoRevocation() {
    String mark = markOf(REQUIRED, "{\"Analytics\":false}");
    assertThat(evaluate(REQUIRED, "{\"Analytics\":false,\"Functional\":true}", mark).isRevoked()).isFalse();
  }

  @Test
  void withoutARequiredCategoryNothingIsEverRevoked() {
    ConsentPolicy policy = policy();
    String mark = markOf(policy, "{\"Analytics\":true}");
    assertThat(evaluate(policy, "{\"Analytics\":false}", mark).isRevoked()).isFalse();
    assertThat(evaluate(policy, null, mark).isRevoked()).isFalse();
  }

  @Test
  void aGpcSignalThatComesAndGoesChangesThePreferences() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true,\"Advertising\":true}");
    ConsentState withGpc = REQUIRED.evaluate(request("{\"Analytics\":true,\"Advertising\":true}")
        .header("Sec-GPC", "1").build(), mark);
    assertThat(withGpc.isChanged()).isTrue();
  }

  @Test
  void theMarkCookieOfTheRequestIsThePreviousConsent() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true}");
    ConsentState state = REQUIRED.evaluate(request("{\"Analytics\":false}").header("Cookie", "ak_consent=" + mark)
        .build());
    assertThat(state.previousMark()).isEqualTo(mark);
    assertThat(state.isRevoked()).isTrue();
  }

  // ------------------------------------------------------------------ marks

  @Test
  void aMarkIsShortAndSaysWhetherIdentityWasAllowed() {
    assertThat(markOf(REQUIRED, "{\"Analytics\":true}")).matches("1\\.[A-Za-z0-9_-]{16}");
    assertThat(markOf(REQUIRED, "{\"Analytics\":false}")).matches("0\\.[A-Za-z0-9_-]{16}");
  }

  @Test
  void differentPreferencesHaveDifferentMarks() {
    assertThat(markOf(REQUIRED, "{\"Analytics\":true,\"Advertising\":true}"))
        .isNotEqualTo(markOf(REQUIRED, "{\"Analytics\":true,\"Advertising\":false}"))
        .isNotEqualTo(markOf(REQUIRED, "{\"Analytics\":true}"));
  }

  @Test
  void theMarkCookieIsHttpOnlyWithTheBackupCookiesAttributes() {
    ConsentState state = evaluate(REQUIRED, "{\"Analytics\":true}", null);
    assertThat(REQUIRED.markCookie(state, BACKUP)).isEqualTo("ak_consent=" + state.mark()
        + "; Path=/; Max-Age=34560000; Expires=Fri, 07 Jan 2028 10:00:00 GMT; Domain=example.com; SameSite=Lax;"
        + " Secure; HttpOnly");
  }

  @Test
  void theMarkCookieIsHttpOnlyEvenWhenGivenReadableAttributes() {
    ConsentState state = evaluate(REQUIRED, "{\"Analytics\":true}", null);
    assertThat(REQUIRED.markCookie(state, READABLE)).endsWith("; HttpOnly");
  }

  @Test
  void theMarkCookieIsDeletedWhenTheDecisionIsGone() {
    String mark = markOf(REQUIRED, "{\"Analytics\":true}");
    ConsentState state = evaluate(REQUIRED, null, mark);
    assertThat(REQUIRED.markCookie(state, BACKUP)).startsWith("ak_consent=; Path=/; Max-Age=0;");
  }

  @Test
  void anUndecidedVisitorWithoutAMarkGetsNoMarkCookie() {
    assertThat(REQUIRED.markCookie(evaluate(REQUIRED, null, null), BACKUP)).isNull();
  }

  // ------------------------------------------------------------------ decisions by the application

  @Test
  void aDecisionByTheApplicationReplacesTheSourcesAnswerForTheRequest() {
    ConsentState read = evaluate(REQUIRED, null, null);
    ConsentState decided = REQUIRED.decide(read, Map.of("Analytics", true));
    assertThat(decided.isGranted()).isTrue();
    assertThat(decided.isChanged()).isTrue();
    assertThat(decided.isByApplication()).isTrue();
  }

  @Test
  void aDecisionEqualToWhatTheRequestAlreadyReportedIsNoSecondChange() {
    ConsentState read = evaluate(REQUIRED, "{\"Analytics\":true}", null);
    assertThat(read.isChanged()).isTrue();
    assertThat(REQUIRED.decide(read, Map.of("Analytics", true)).isChanged()).isFalse();
  }

  @Test
  void aDecisionByTheApplicationCanRevoke() {
    ConsentState read = evaluate(REQUIRED, "{\"Analytics\":true}", markOf(REQUIRED, "{\"Analytics\":true}"));
    ConsentState decided = REQUIRED.decide(read, Map.of("Analytics", false));
    assertThat(decided.isRevoked()).isTrue();
  }

  @Test
  void gpcStillAppliesToADecisionByTheApplication() {
    ConsentState read = REQUIRED.evaluate(request(null).header("Sec-GPC", "1").build(), null);
    ConsentState decided = REQUIRED.decide(read, Map.of("Analytics", true, "Advertising", true));
    assertThat(decided.categoryPreferences()).containsEntry("Advertising", false);
  }

  @Test
  void aDecisionWithABadCategoryIsRefusedNamingIt() {
    ConsentState read = evaluate(REQUIRED, null, null);
    assertThatThrownBy(() -> REQUIRED.decide(read, Map.of("Ana=lytics", true)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ana=lytics");
  }

  @Test
  void aDecisionByTheApplicationIsWrittenToTheSourceCookieReadableByTheBanner() {
    ConsentState decided = REQUIRED.decide(evaluate(REQUIRED, null, null),
        Map.of("Analytics", true, "Strictly Necessary", true));
    String header = REQUIRED.sourceCookie(decided, READABLE);
    assertThat(header).startsWith("site_consent=%7B%22Analytics%22%3Atrue%2C%22Strictly%20Necessary%22%3Atrue%7D;"
        + " Path=/; Max-Age=31536000;").doesNotContain("HttpOnly");
    String value = header.substring("site_consent=".length(), header.indexOf(';'));
    assertThat(URLDecoder.decode(value, StandardCharsets.UTF_8))
        .isEqualTo("{\"Analytics\":true,\"Strictly Necessary\":true}");
  }

  @Test
  void theSourceCookieWrittenByTheServerReadsBackAsTheSameConsent() {
    ConsentState decided = REQUIRED.decide(evaluate(REQUIRED, null, null),
        Map.of("Analytics", true, "Statistikä \"Web\"", false));
    String header = REQUIRED.sourceCookie(decided, READABLE);
    String value = header.substring("site_consent=".length(), header.indexOf(';'));
    assertThat(JsonCookieSource.parse(value)).isEqualTo(decided.consent());
  }

  @Test
  void anEmptyDecisionByTheApplicationDeletesTheSourceCookie() {
    ConsentState decided = REQUIRED.decide(evaluate(REQUIRED, "{\"Analytics\":true}", null), Map.of());
    assertThat(decided.isDecided()).isFalse();
    assertThat(REQUIRED.sourceCookie(decided, READABLE)).startsWith("site_consent=; Path=/; Max-Age=0;");
  }

  @Test
  void aConsentReadFromTheRequestIsNeverWrittenBack() {
    assertThat(REQUIRED.sourceCookie(evaluate(REQUIRED, "{\"Analytics\":true}", null), READABLE)).isNull();
  }

  @Test
  void oneTrustDecisionsApplyToTheRequestOnly() {
    ConsentPolicy oneTrust = ConsentPolicy.create(Settings.of(Map.of("consent", "onetrust")), new Metrics(), CLOCK);
    ConsentState decided = oneTrust.decide(oneTrust.evaluate(new FakeRequest().build()), Map.of("C0002", true));
    assertThat(decided.isGranted()).isTrue();
    assertThat(oneTrust.sourceCookie(decided, READABLE)).isNull();
  }

  @Test
  void aDecisionTooLargeForTheSourceCookieIsRefused() {
    Map<String, Boolean> large = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      large.put("€".repeat(60) + i, true);
    }
    assertThatThrownBy(() -> REQUIRED.decide(evaluate(REQUIRED, null, null), large))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would not fit in the site_consent cookie");
  }
}
