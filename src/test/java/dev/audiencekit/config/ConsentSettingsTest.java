package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.Settings.ConsentBefore;
import dev.audiencekit.config.Settings.ConsentKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ConsentSettingsTest {

  private static Settings parse(String... pairs) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    return Settings.of(params);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> rejected(String parameter, String... pairs) {
    return assertThatThrownBy(() -> parse(pairs))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param " + parameter + ":")
        .satisfies(e -> assertThat(((InvalidSettingException) e).parameter()).isEqualTo(parameter));
  }

  @Test
  void consentIsOffByDefault() {
    Settings settings = parse();
    assertThat(settings.consent()).isEqualTo(ConsentKind.NONE);
    assertThat(settings.consentName()).isNull();
    assertThat(settings.consentCategories()).isEmpty();
    assertThat(settings.consentRequired()).isNull();
    assertThat(settings.consentBefore()).isEqualTo(ConsentBefore.DROP);
    assertThat(settings.consentGpcDenies()).isNull();
  }

  @Test
  void oneTrustWithCategoriesIsParsedInOrder() {
    Settings settings = parse("consent", "onetrust", "consent.categories", " C0002=Analytics , C0004=Advertising",
        "consent.required", "Analytics", "consent.before", "cookieless", "consent.gpcDenies", "Advertising");
    assertThat(settings.consent()).isEqualTo(ConsentKind.ONETRUST);
    assertThat(settings.consentCategories()).containsExactly(Map.entry("C0002", "Analytics"),
        Map.entry("C0004", "Advertising"));
    assertThat(settings.consentRequired()).isEqualTo("Analytics");
    assertThat(settings.consentBefore()).isEqualTo(ConsentBefore.COOKIELESS);
    assertThat(settings.consentGpcDenies()).isEqualTo("Advertising");
  }

  @Test
  void aCookieSourceKeepsTheCookieName() {
    Settings settings = parse("consent", "cookie:site_consent");
    assertThat(settings.consent()).isEqualTo(ConsentKind.COOKIE);
    assertThat(settings.consentName()).isEqualTo("site_consent");
  }

  @Test
  void aClassNameIsACustomSource() {
    Settings settings = parse("consent", "com.example.MyConsent");
    assertThat(settings.consent()).isEqualTo(ConsentKind.CLASS);
    assertThat(settings.consentName()).isEqualTo("com.example.MyConsent");
  }

  @Test
  void anUnknownSourceIsRefusedListingWhatIsAccepted() {
    rejected("consent", "consent", "banner").hasMessageContaining("'banner'")
        .hasMessageContaining("none, onetrust, cookie:<name> or a class name");
  }

  @Test
  void aCookieSourceWithoutAUsableNameIsRefused() {
    rejected("consent", "consent", "cookie:").hasMessageContaining("does not name a cookie");
    rejected("consent", "consent", "cookie:a b").hasMessageContaining("does not name a cookie");
  }

  @Test
  void aCookieSourceCannotReadTheLibrarysOwnCookies() {
    rejected("consent", "consent", "cookie:ajs_anonymous_id").hasMessageContaining("library itself");
    rejected("consent", "consent", "cookie:ak_consent").hasMessageContaining("library itself");
    rejected("consent", "consent", "cookie:ak_anonymous_id").hasMessageContaining("library itself");
  }

  @Test
  void theBackupCookieCannotTakeTheConsentCookiesName() {
    rejected("backupCookie", "backupCookie", "ak_consent").hasMessageContaining("consent cookie");
  }

  @Test
  void categoriesApplyToOneTrustOnly() {
    rejected("consent.categories", "consent", "cookie:c", "consent.categories", "C0002=Analytics")
        .hasMessageContaining("consent=onetrust only");
  }

  @Test
  void malformedCategoriesAreRefusedNamingThePair() {
    rejected("consent.categories", "consent", "onetrust", "consent.categories", "C0002=Analytics,C0004")
        .hasMessageContaining("'C0004' is not one");
    rejected("consent.categories", "consent", "onetrust", "consent.categories", "C0002=")
        .hasMessageContaining("'C0002=' is not one");
    rejected("consent.categories", "consent", "onetrust", "consent.categories", "C 2=Analytics")
        .hasMessageContaining("is not one");
    rejected("consent.categories", "consent", "onetrust", "consent.categories", "C0002=A,C0002=B")
        .hasMessageContaining("maps the group C0002 twice");
    rejected("consent.categories", "consent", "onetrust", "consent.categories", " , ")
        .hasMessageContaining("names no pair");
  }

  @Test
  void aCategoryNameWithAControlCharacterOrCommaIsRefused() {
    rejected("consent.required", "consent", "onetrust", "consent.required", "Ana\u0001lytics")
        .hasMessageContaining("not a consent category name");
    rejected("consent.gpcDenies", "consent", "onetrust", "consent.gpcDenies", "A,B")
        .hasMessageContaining("not a consent category name");
    rejected("consent.required", "consent", "onetrust", "consent.required", "x".repeat(65))
        .hasMessageContaining("not a consent category name");
  }

  @Test
  void aRenamedGroupIdCannotBeRequired() {
    rejected("consent.required", "consent", "onetrust", "consent.categories", "C0002=Analytics",
        "consent.required", "C0002").hasMessageContaining("name the category: Analytics");
    rejected("consent.gpcDenies", "consent", "onetrust", "consent.categories", "C0004=Advertising",
        "consent.gpcDenies", "C0004").hasMessageContaining("name the category: Advertising");
  }

  @Test
  void anUnmappedGroupIdCanBeRequired() {
    assertThat(parse("consent", "onetrust", "consent.categories", "C0004=Advertising", "consent.required", "C0002")
        .consentRequired()).isEqualTo("C0002");
  }

  @Test
  void consentParametersWithoutAConsentSourceAreRefused() {
    rejected("consent.required", "consent.required", "Analytics").hasMessageContaining("consent=none");
    rejected("consent.gpcDenies", "consent.gpcDenies", "Advertising").hasMessageContaining("consent=none");
    rejected("consent.before", "consent.before", "drop").hasMessageContaining("consent=none");
  }

  @Test
  void beforeNeedsARequiredCategory() {
    rejected("consent.before", "consent", "cookie:c", "consent.before", "cookieless")
        .hasMessageContaining("without consent.required");
  }

  @Test
  void anUnknownBeforeModeIsRefusedListingTheModes() {
    rejected("consent.before", "consent", "cookie:c", "consent.required", "Analytics", "consent.before", "wait")
        .hasMessageContaining("use drop, cookieless");
  }

  @Test
  void systemPropertyOverridesTheConsentSource() {
    Settings settings = Settings.parse(java.util.List.of("consent"),
        name -> name.equals("consent") ? "none" : null,
        name -> name.equals("audiencekit.consent") ? "onetrust" : null, name -> null);
    assertThat(settings.consent()).isEqualTo(ConsentKind.ONETRUST);
  }
}
