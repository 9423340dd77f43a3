package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentTest {

  @Test
  void categoriesAreKeptSortedByName() {
    Map<String, Boolean> given = new LinkedHashMap<>();
    given.put("Functional", true);
    given.put("Advertising", false);
    given.put("Analytics", true);
    assertThat(Consent.of(given).categoryPreferences().keySet()).containsExactly("Advertising", "Analytics", "Functional");
  }

  @Test
  void anEmptyMapIsUndecided() {
    assertThat(Consent.of(Map.of())).isSameAs(Consent.UNDECIDED);
    assertThat(Consent.UNDECIDED.isDecided()).isFalse();
  }

  @Test
  void anAbsentCategoryIsNotGranted() {
    Consent consent = Consent.of(Map.of("Analytics", true, "Advertising", false));
    assertThat(consent.granted("Analytics")).isTrue();
    assertThat(consent.granted("Advertising")).isFalse();
    assertThat(consent.granted("Functional")).isFalse();
  }

  @Test
  void theMapCannotBeChanged() {
    Map<String, Boolean> preferences = Consent.of(Map.of("Analytics", true)).categoryPreferences();
    assertThatThrownBy(() -> preferences.put("Analytics", false)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalPreferencesAreEqualConsents() {
    assertThat(Consent.of(Map.of("A", true, "B", false))).isEqualTo(Consent.of(Map.of("B", false, "A", true)))
        .hasSameHashCodeAs(Consent.of(Map.of("B", false, "A", true)));
  }

  @Test
  void aNullValueIsRefusedNamingTheKey() {
    Map<String, Boolean> given = new HashMap<>();
    given.put("Analytics", null);
    assertThatThrownBy(() -> Consent.of(given)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("categoryPreferences[Analytics]");
  }

  @Test
  void aKeyThatIsNoCategoryNameIsRefusedShownWithoutControlCharacters() {
    assertThatThrownBy(() -> Consent.of(Map.of("Ana\nlytics", true))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Ana?lytics' is not a category name");
    assertThatThrownBy(() -> Consent.of(Map.of("", true))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Consent.of(Map.of("x".repeat(65), true))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreThanSixtyFourCategoriesAreRefused() {
    Map<String, Boolean> many = new HashMap<>();
    for (int i = 0; i < 65; i++) {
      many.put("c" + i, true);
    }
    assertThatThrownBy(() -> Consent.of(many)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64");
  }

  @Test
  void denyForcesACategoryFalseOnlyForADecidedVisitor() {
    assertThat(Consent.of(Map.of("Advertising", true)).deny("Advertising").granted("Advertising")).isFalse();
    assertThat(Consent.of(Map.of("Analytics", true)).deny("Advertising").categoryPreferences())
        .containsEntry("Advertising", false).containsEntry("Analytics", true);
    assertThat(Consent.UNDECIDED.deny("Advertising")).isSameAs(Consent.UNDECIDED);
  }
}
