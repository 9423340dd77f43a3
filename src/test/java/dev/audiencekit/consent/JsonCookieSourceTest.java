package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.testing.FakeRequest;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class JsonCookieSourceTest {
  private final LongAdder unreadable = new LongAdder();
  private final JsonCookieSource source = new JsonCookieSource("site_consent", unreadable);

  private Consent read(String cookieHeader) {
    return source.read(FakeRequest.withHeaders("Cookie", cookieHeader));
  }

  @Test
  void readsAUrlEncodedJsonObject() {
    Consent consent = read("site_consent=%7B%22Analytics%22%3Atrue%2C%22Advertising%22%3Afalse%7D");
    assertThat(consent.categoryPreferences())
        .containsExactly(Map.entry("Advertising", false), Map.entry("Analytics", true));
  }

  @Test
  void readsTheFormJsCookieWrites() {
    assertThat(read("site_consent={%22Analytics%22:true%2C%22Advertising%22:false}").categoryPreferences())
        .containsExactly(Map.entry("Advertising", false), Map.entry("Analytics", true));
  }

  @Test
  void readsARawJsonObject() {
    assertThat(read("x=1; site_consent={\"Analytics\":true,\"Functional\":false}; y=2").categoryPreferences())
        .containsExactly(Map.entry("Analytics", true), Map.entry("Functional", false));
  }

  @Test
  void readsCategoryNamesWithSpacesAndNonAscii() {
    assertThat(read("site_consent=%7B%22Strictly%20Necessary%22%3Atrue%2C%22Statistik%C3%A4%22%3Atrue%7D")
        .categoryPreferences()).containsOnlyKeys("Strictly Necessary", "Statistikä");
  }

  @Test
  void membersThatAreNotBooleansAreIgnored() {
    Consent consent = read("site_consent={\"Analytics\":true,\"version\":3,\"updatedAt\":\"2026-12-03\","
        + "\"Advertising\":\"yes\",\"meta\":{\"Functional\":true},\"list\":[true],\"none\":null}");
    assertThat(consent.categoryPreferences()).containsExactly(Map.entry("Analytics", true));
  }

  @Test
  void anObjectWithoutABooleanIsUndecidedAndCounted() {
    assertThat(read("site_consent={\"Analytics\":\"true\"}").isDecided()).isFalse();
    assertThat(read("site_consent={}").isDecided()).isFalse();
    assertThat(unreadable.sum()).isEqualTo(2);
  }

  @Test
  void aNameGivenTwiceWithDifferentValuesIsDenied() {
    assertThat(read("site_consent={\"Analytics\":true,\"Analytics\":false}").granted("Analytics")).isFalse();
    assertThat(read("site_consent={\"Analytics\":false,\"Analytics\":true}").granted("Analytics")).isFalse();
  }

  @Test
  void namesThatAreNotCategoryNamesAreIgnored() {
    assertThat(read("site_consent={\"A,B\":true,\"\":true,\"Analytics\":true}").categoryPreferences())
        .containsOnlyKeys("Analytics");
  }

  @Test
  void aJsonTextThatIsNotAnObjectIsUndecided() {
    assertThat(read("site_consent=true").isDecided()).isFalse();
    assertThat(read("site_consent=[{\"Analytics\":true}]").isDecided()).isFalse();
    assertThat(read("site_consent=%22Analytics%22").isDecided()).isFalse();
  }

  @Test
  void textAfterTheObjectIsUndecided() {
    assertThat(read("site_consent={\"Analytics\":true}{\"Advertising\":true}").isDecided()).isFalse();
    assertThat(read("site_consent={\"Analytics\":true}x").isDecided()).isFalse();
  }
}
