package dev.audiencekit.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.Options;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFactoryTest {
  private static final Instant NOW = Instant.parse("2026-12-02T10:15:30.042Z");
  private final EventFactory factory = new EventFactory(Clock.fixed(NOW, ZoneOffset.UTC), "1.2.3");
  private final RequestContext request = new RequestContext("203.0.113.7", "Mozilla/5.0 \"quoted\"", "de-CH",
      "/shop", "https://example.com/shop?utm_source=x", "utm_source=x", "https://ref.example/");

  private static JsonObject parse(String json) {
    return Json.createReader(new StringReader(json)).readObject();
  }

  @Test
  void trackEventHasTheSpecShape() {
    JsonObject event = parse(factory.track(new EventFactory.Ids("anon-1", null), "Order Completed",
        JsonValues.object("properties", Map.of("total", 42)), request, Options.create()));
    assertThat(event.getString("type")).isEqualTo("track");
    assertThat(event.getString("messageId")).matches("ak-" + NOW.toEpochMilli() + "-[0-9a-f-]{36}");
    assertThat(event.getString("timestamp")).isEqualTo("2026-12-02T10:15:30.042Z");
    assertThat(event.getString("anonymousId")).isEqualTo("anon-1");
    assertThat(event.get("userId")).isEqualTo(JsonValue.NULL);
    assertThat(event.getString("event")).isEqualTo("Order Completed");
    assertThat(event.getJsonObject("properties").getInt("total")).isEqualTo(42);
    JsonObject context = event.getJsonObject("context");
    assertThat(context.getString("ip")).isEqualTo("203.0.113.7");
    assertThat(context.getString("userAgent")).isEqualTo("Mozilla/5.0 \"quoted\"");
    assertThat(context.getString("locale")).isEqualTo("de-CH");
    assertThat(context.getJsonObject("page").getString("search")).isEqualTo("?utm_source=x");
    assertThat(context.getJsonObject("campaign").getString("source")).isEqualTo("x");
    assertThat(context.getJsonObject("library").getString("version")).isEqualTo("1.2.3");
    assertThat(event).doesNotContainKey("integrations");
  }

  @Test
  void stringsWithQuotesBackslashesAndControlCharactersStayValidJson() {
    String hostile = "a\"b\\c\nd\u0001e</script>é😀";
    JsonObject event = parse(factory.track(new EventFactory.Ids(hostile, hostile), hostile,
        JsonValue.EMPTY_JSON_OBJECT, request, Options.create()));
    assertThat(event.getString("event")).isEqualTo(hostile);
    assertThat(event.getString("anonymousId")).isEqualTo(hostile);
    assertThat(event.getString("userId")).isEqualTo(hostile);
  }

  @Test
  void contextOptionReplacesTheRequestValueAndAddsNewKeys() {
    JsonObject event = parse(factory.track(new EventFactory.Ids("a", "u"), "E", JsonValue.EMPTY_JSON_OBJECT,
        request, Options.create().ip("").context("locale", "fr").contextTraits(Map.of("tier", "gold"))));
    JsonObject context = event.getJsonObject("context");
    assertThat(context.getString("ip")).isEmpty();
    assertThat(context.getString("locale")).isEqualTo("fr");
    assertThat(context.getJsonObject("traits").getString("tier")).isEqualTo("gold");
    assertThat(context.keySet()).doesNotHaveDuplicates();
  }

  @Test
  void groupWithoutAnIdSendsNull() {
    JsonObject event = parse(factory.group(new EventFactory.Ids("a", null), null, JsonValue.EMPTY_JSON_OBJECT,
        request, Options.create()));
    assertThat(event.get("groupId")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void aliasCarriesTheNewUserIdAndThePreviousId() {
    JsonObject event = parse(factory.alias(new EventFactory.Ids("a", "old"), "new", "old", request, Options.create()));
    assertThat(event.getString("userId")).isEqualTo("new");
    assertThat(event.getString("previousId")).isEqualTo("old");
  }

  @Test
  void pageTitleGoesToPropertiesAndContext() {
    JsonObject event = parse(factory.page(new EventFactory.Ids("a", null), null, "Home", "Welcome",
        JsonValue.EMPTY_JSON_OBJECT, request, Options.create()));
    assertThat(event.getJsonObject("properties").getString("title")).isEqualTo("Welcome");
    assertThat(event.getJsonObject("context").getJsonObject("page").getString("title")).isEqualTo("Welcome");
    assertThat(event).doesNotContainKey("category");
  }

  @Test
  void timestampsMatchTheIsoFormatterAcrossCenturiesAndLeapDays() {
    java.util.Random random = new java.util.Random(42);
    java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(Instant.EPOCH,
        Instant.parse("2000-02-29T23:59:59.999Z"), Instant.parse("1900-03-01T00:00:00.000Z"),
        Instant.parse("2100-02-28T12:00:00.001Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
        Instant.parse("1969-12-31T23:59:59.999Z"), Instant.parse("0001-01-01T00:00:00.000Z")));
    for (int i = 0; i < 10_000; i++) {
      instants.add(Instant.ofEpochMilli(random.nextLong() % 253_402_300_799_999L));
    }
    for (Instant instant : instants) {
      StringBuilder out = new StringBuilder();
      EventFactory.appendTimestamp(out, instant);
      assertThat(out.toString()).as(instant.toString()).isEqualTo(EventFactory.ISO_MILLIS.format(instant));
    }
  }
}
