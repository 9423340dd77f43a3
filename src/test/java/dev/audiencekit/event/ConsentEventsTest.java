package dev.audiencekit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.Options;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Events carry {@code context.consent} in the shape Segment documents for its consent object. */
class ConsentEventsTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:15:30.042Z");
  private final EventFactory factory = new EventFactory(Clock.fixed(NOW, ZoneOffset.UTC), "1.2.3");
  private final EventFactory.Ids ids = new EventFactory.Ids("anon-1", "user-1");
  private final RequestContext plain =
      new RequestContext("203.0.113.7", "UA", "en", "/shop", "https://example.com/shop", null, null);
  private final RequestContext withConsent =
      plain.withConsent(ConsentJson.context(preferences("Advertising", false, "Analytics", true)));

  private static Map<String, Boolean> preferences(Object... pairs) {
    Map<String, Boolean> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Boolean) pairs[i + 1]);
    }
    return map;
  }

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }

  /**
   * Segment's consent object: {@code context.consent} is an object whose {@code categoryPreferences} is
   * an object of category name to boolean.
   */
  static JsonObject assertSegmentConsentShape(JsonObject event) {
    JsonObject consent = event.getJsonObject("context").getJsonObject("consent");
    assertThat(consent).as("context.consent").isNotNull().containsOnlyKeys("categoryPreferences");
    assertThat(consent.get("categoryPreferences").getValueType()).isEqualTo(JsonValue.ValueType.OBJECT);
    JsonObject preferences = consent.getJsonObject("categoryPreferences");
    assertThat(preferences.values()).allSatisfy(value ->
        assertThat(value.getValueType()).isIn(JsonValue.ValueType.TRUE, JsonValue.ValueType.FALSE));
    return preferences;
  }

  private List<String> everyType(RequestContext request, Options options) {
    return List.of(
        factory.identify(ids, JsonValue.EMPTY_JSON_OBJECT, request, options),
        factory.track(ids, "Order Completed", Map.of("total", 1), request, options),
        factory.page(ids, "Docs", "Consent", null, null, request, options),
        factory.group(ids, "acme", JsonValue.EMPTY_JSON_OBJECT, request, options),
        factory.alias(ids, "user-2", "user-1", request, options));
  }

  @Test
  void everyEventTypeCarriesTheRequestsConsent() {
    for (String json : everyType(withConsent, Options.create())) {
      JsonObject preferences = assertSegmentConsentShape(parse(json));
      assertThat(preferences).isEqualTo(Json.createObjectBuilder().add("Advertising", false).add("Analytics", true)
          .build());
    }
  }

  @Test
  void withoutConsentConfiguredEventsCarryNone() {
    for (String json : everyType(plain, Options.create())) {
      assertThat(parse(json).getJsonObject("context")).doesNotContainKey("consent");
    }
  }

  @Test
  void anUndecidedVisitorsEventsCarryAnEmptyPreferencesObject() {
    RequestContext undecided = plain.withConsent(ConsentJson.context(Map.of()));
    JsonObject event = parse(factory.track(ids, "Viewed", null, undecided, Options.create()));
    assertThat(assertSegmentConsentShape(event)).isEmpty();
  }

  @Test
  void anOptionCannotReplaceTheVisitorsConsent() {
    Options options = Options.create().context("consent", Map.of("categoryPreferences", Map.of("Advertising", true)));
    JsonObject event = parse(factory.track(ids, "Viewed", null, withConsent, options));
    assertThat(assertSegmentConsentShape(event).getBoolean("Advertising")).isFalse();
    assertThat(event.toString().indexOf("\"consent\"")).isEqualTo(event.toString().lastIndexOf("\"consent\""));
  }

  @Test
  void withoutConsentConfiguredAnOptionMaySetContextConsent() {
    Options options = Options.create().context("consent", Map.of("categoryPreferences", Map.of("Advertising", true)));
    JsonObject event = parse(factory.track(ids, "Viewed", null, plain, options));
    assertThat(assertSegmentConsentShape(event).getBoolean("Advertising")).isTrue();
  }

  @Test
  void theConsentEventIsSegmentsReservedTrackEventWithThePreferencesInContext() {
    JsonObject event = parse(factory.consentPreferenceUpdated(ids, withConsent));
    assertThat(event.getString("type")).isEqualTo("track");
    assertThat(event.getString("event")).isEqualTo("Segment Consent Preference Updated");
    assertThat(event.getJsonObject("properties")).isEmpty();
    assertThat(event.getString("anonymousId")).isEqualTo("anon-1");
    assertThat(event.getString("userId")).isEqualTo("user-1");
    assertThat(assertSegmentConsentShape(event)).containsOnlyKeys("Advertising", "Analytics");
  }

  @Test
  void theConsentEventNeedsAConsent() {
    assertThatThrownBy(() -> factory.consentPreferenceUpdated(ids, plain))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void categoryNamesThatNeedEscapingStayValidJson() {
    String hostile = "a\"b\\c</script>é😀";
    RequestContext request = plain.withConsent(ConsentJson.context(Map.of(hostile, true)));
    JsonObject event = parse(factory.track(ids, "Viewed", null, request, Options.create()));
    assertThat(assertSegmentConsentShape(event).getBoolean(hostile)).isTrue();
  }

  @Test
  void withConsentKeepsEveryOtherField() {
    assertThat(withConsent.ip()).isEqualTo(plain.ip());
    assertThat(withConsent.url()).isEqualTo(plain.url());
    assertThat(withConsent.referrer()).isEqualTo(plain.referrer());
    assertThat(plain.withConsent(null)).isSameAs(plain);
  }
}
