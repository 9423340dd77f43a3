package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.testing.FakeRequest;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class OneTrustSourceTest {
  /** As OneTrust writes it: a query string whose values are URL-encoded. */
  static final String COOKIE = "isGpcEnabled=0&datestamp=Thu+Dec+03+2026+10%3A00%3A00+GMT%2B0100+(CET)"
      + "&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=0b5c6e0a-0000-4000-8000-000000000001"
      + "&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage"
      + "&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A0%2CC0004%3A0&AwaitingReconsent=false";

  private final LongAdder unreadable = new LongAdder();
  private final OneTrustSource source =
      new OneTrustSource(Map.of("C0002", "Analytics", "C0004", "Advertising"), unreadable);

  @Test
  void readsTheGroupsOfTheOptanonConsentCookieRenamedByTheMapping() {
    Consent consent = source.read(FakeRequest.withHeaders("Cookie", "a=b; OptanonConsent=" + COOKIE + "; c=d"));
    assertThat(consent.categoryPreferences()).containsExactly(Map.entry("Advertising", false),
        Map.entry("Analytics", true), Map.entry("C0001", true), Map.entry("C0003", false));
  }

  @Test
  void anUnmappedGroupKeepsItsId() {
    assertThat(source.parse("groups=C0005%3A1").categoryPreferences()).containsExactly(Map.entry("C0005", true));
  }

  @Test
  void readsGroupsWrittenWithoutEscapes() {
    assertThat(source.parse("groups=C0002:1,C0004:0").categoryPreferences())
        .containsExactly(Map.entry("Advertising", false), Map.entry("Analytics", true));
  }

  @Test
  void readsAQueryStringThatWasEncodedOnceMore() {
    String encoded = "isGpcEnabled%3D0%26groups%3DC0002%253A1%252CC0004%253A1";
    assertThat(source.parse(encoded).categoryPreferences())
        .containsExactly(Map.entry("Advertising", true), Map.entry("Analytics", true));
  }

  @Test
  void aDenialWinsWhenTwoGroupsShareACategory() {
    OneTrustSource shared = new OneTrustSource(Map.of("C0002", "Analytics", "C0007", "Analytics"), unreadable);
    assertThat(shared.parse("groups=C0002:1,C0007:0").granted("Analytics")).isFalse();
    assertThat(shared.parse("groups=C0007:0,C0002:1").granted("Analytics")).isFalse();
    assertThat(shared.parse("groups=C0007:1,C0002:1").granted("Analytics")).isTrue();
  }

  @Test
  void entriesThatAreNotGroupAndFlagAreSkipped() {
    assertThat(source.parse("groups=C0002:1,C0004:2,:1,C0003,C 6:1,<b>:1,C0008:1x,C0001:0").categoryPreferences())
        .containsExactly(Map.entry("Analytics", true), Map.entry("C0001", false));
  }

  @Test
  void withoutAGroupsFieldTheVisitorIsUndecidedAndCounted() {
    Consent consent = source.read(FakeRequest.withHeaders("Cookie", "OptanonConsent=isGpcEnabled=0&version=1"));
    assertThat(consent.isDecided()).isFalse();
    assertThat(unreadable.sum()).isEqualTo(1);
  }

  @Test
  void withoutTheCookieTheVisitorIsUndecidedAndNothingIsCounted() {
    assertThat(source.read(FakeRequest.withHeaders("Cookie", "ajs_anonymous_id=x")).isDecided()).isFalse();
    assertThat(source.read(FakeRequest.withHeaders()).isDecided()).isFalse();
    assertThat(unreadable.sum()).isZero();
  }

  @Test
  void theFirstGroupsFieldWins() {
    assertThat(source.parse("groups=C0002:0&groups=C0002:1").granted("Analytics")).isFalse();
  }
}
