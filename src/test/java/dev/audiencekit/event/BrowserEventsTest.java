package dev.audiencekit.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.event.BrowserEvents.Server;
import dev.audiencekit.event.BrowserEvents.Type;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BrowserEventsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00.123Z"), ZoneOffset.UTC);
  private static final Server SERVER = new Server("server-anon", "server-user", "203.0.113.0", null);
  private final BrowserEvents events = new BrowserEvents(CLOCK);

  /** A track event as analytics-next 1.84 posts it to /v1/t. */
  private static final String BROWSER_TRACK = """
      {"timestamp":"2026-12-03T09:59:59.001Z","integrations":{},"type":"track","event":"Button Clicked",
       "properties":{"color":"red","n":1.5},"options":{},"userId":"server-user","anonymousId":"server-anon",
       "messageId":"ajs-next-1733220000000-5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11",
       "context":{"page":{"path":"/cart","referrer":"","search":"","title":"Cart","url":"https://shop.example/cart"},
         "userAgent":"Mozilla/5.0","userAgentData":{"mobile":false},"locale":"en-GB",
         "library":{"name":"analytics.js","version":"next-1.84.3"},"campaign":{"name":"spring"},
         "ip":"6.6.6.6","traits":{"email":"x@example.com"},"consent":{"categoryPreferences":{"Ads":true}},
         "timezone":"Europe/London"},
       "writeKey":"WK_PAGE","sentAt":"2026-12-03T09:59:59.100Z","_metadata":{"bundled":["Segment.io"]}}
      """;

  private static JsonValue json(String text) {
    return Json.createReader(new StringReader(text)).readValue();
  }

  private JsonObject rewrite(String text, Type expected, Server server) {
    return json(events.rewrite(json(text), expected, server).json()).asJsonObject();
  }

  @Test
  void keepsTheBrowsersFieldsAndDropsTheRest() {
    JsonObject event = rewrite(BROWSER_TRACK, Type.TRACK, SERVER);
    assertThat(event.keySet()).containsExactly("type", "messageId", "timestamp", "anonymousId", "userId", "context",
        "event", "properties");
    assertThat(event.getString("messageId")).isEqualTo("ajs-next-1733220000000-5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11");
    assertThat(event.getString("timestamp")).isEqualTo("2026-12-03T09:59:59.001Z");
    assertThat(event.getString("event")).isEqualTo("Button Clicked");
    assertThat(event.getJsonObject("properties")).isEqualTo(json("{\"color\":\"red\",\"n\":1.5}"));
  }

  @Test
  void contextKeepsPageAgentLocaleCampaignLibraryAndTakesTheServersIp() {
    JsonObject context = rewrite(BROWSER_TRACK, Type.TRACK, SERVER).getJsonObject("context");
    assertThat(context.keySet()).containsExactly("ip", "userAgent", "locale", "page", "campaign", "library");
    assertThat(context.getString("ip")).isEqualTo("203.0.113.0");
    assertThat(context.getJsonObject("page").getString("path")).isEqualTo("/cart");
    assertThat(context.getJsonObject("library").getString("version")).isEqualTo("next-1.84.3");
  }

  @Test
  void consentIsTheServersWhenItHasOne() {
    Server withConsent = new Server("server-anon", null, "", "{\"categoryPreferences\":{\"Analytics\":true}}");
    JsonObject context = rewrite(BROWSER_TRACK, Type.TRACK, withConsent).getJsonObject("context");
    assertThat(context.getJsonObject("consent")).isEqualTo(json("{\"categoryPreferences\":{\"Analytics\":true}}"));
  }

  @Test
  void theServersIdsReplaceDifferentOnesAndSaySo() {
    String claimed = BROWSER_TRACK.replace("\"anonymousId\":\"server-anon\"", "\"anonymousId\":\"someone-else\"");
    BrowserEvents.Rewritten rewritten = events.rewrite(json(claimed), Type.TRACK, SERVER);
    JsonObject event = json(rewritten.json()).asJsonObject();
    assertThat(event.getString("anonymousId")).isEqualTo("server-anon");
    assertThat(event.getString("userId")).isEqualTo("server-user");
    assertThat(rewritten.idsReplaced()).isTrue();
  }

  @Test
  void matchingIdsAreNotCountedAsReplaced() {
    assertThat(events.rewrite(json(BROWSER_TRACK), Type.TRACK, SERVER).idsReplaced()).isFalse();
  }

  @Test
  void aUserIdTheServerDoesNotKnowIsReplacedByNull() {
    BrowserEvents.Rewritten rewritten =
        events.rewrite(json(BROWSER_TRACK), Type.TRACK, new Server("server-anon", null, "", null));
    assertThat(json(rewritten.json()).asJsonObject().get("userId")).isEqualTo(JsonValue.NULL);
    assertThat(rewritten.idsReplaced()).isTrue();
  }

  @Test
  void aliasKeepsTheBrowsersUserIdAndPreviousIdButTakesTheServersAnonymousId() {
    JsonObject event = rewrite("{\"type\":\"alias\",\"userId\":\"new-user\",\"previousId\":\"old-user\","
        + "\"anonymousId\":\"browser-anon\"}", Type.ALIAS, SERVER);
    assertThat(event.getString("userId")).isEqualTo("new-user");
    assertThat(event.getString("previousId")).isEqualTo("old-user");
    assertThat(event.getString("anonymousId")).isEqualTo("server-anon");
  }

  @Test
  void groupKeepsGroupIdAndTraits() {
    JsonObject event = rewrite("{\"type\":\"group\",\"groupId\":\"acme\",\"traits\":{\"plan\":\"pro\"}}", Type.GROUP,
        SERVER);
    assertThat(event.getString("groupId")).isEqualTo("acme");
    assertThat(event.getJsonObject("traits")).isEqualTo(json("{\"plan\":\"pro\"}"));
  }

  @Test
  void identifyKeepsTraits() {
    JsonObject event = rewrite("{\"type\":\"identify\",\"userId\":\"server-user\",\"traits\":{\"email\":\"a@b.c\"}}",
        Type.IDENTIFY, SERVER);
    assertThat(event.getJsonObject("traits")).isEqualTo(json("{\"email\":\"a@b.c\"}"));
  }

  @Test
  void pageAndScreenKeepNameCategoryAndProperties() {
    for (String type : new String[] {"page", "screen"}) {
      JsonObject event = rewrite("{\"type\":\"" + type + "\",\"name\":\"Home\",\"category\":\"Shop\","
          + "\"properties\":{\"path\":\"/\"}}", null, SERVER);
      assertThat(event.getString("type")).isEqualTo(type);
      assertThat(event.getString("name")).isEqualTo("Home");
      assertThat(event.getString("category")).isEqualTo("Shop");
      assertThat(event.getJsonObject("properties").getString("path")).isEqualTo("/");
    }
  }

  @Test
  void missingMessageIdAndTimestampAreSuppliedByTheServer() {
    JsonObject event = rewrite("{\"type\":\"track\",\"event\":\"E\"}", Type.TRACK, SERVER);
    assertThat(event.getString("messageId")).matches("ak-1796292000123-[0-9a-f-]{36}");
    assertThat(event.getString("timestamp")).isEqualTo("2026-12-03T10:00:00.123Z");
    assertThat(event.getJsonObject("properties")).isEmpty();
  }

  @Test
  void aTypeOtherThanThePathsIsRefused() {
    assertThatThrownBy(() -> events.rewrite(json("{\"type\":\"page\"}"), Type.TRACK, SERVER))
        .hasMessage("type page does not match the path, which takes track events");
  }

  @Test
  void wrongTypesAreRefusedNamingTheField() {
    assertRefused("[1]", "the event is not a JSON object");
    assertRefused("{\"event\":\"E\"}", "type is missing or not a string");
    assertRefused("{\"type\":\"purchase\"}", "type is not one of track, page, identify, group, alias, screen");
    assertRefused("{\"type\":\"track\"}", "event is missing or not a non-empty string");
    assertRefused("{\"type\":\"track\",\"event\":7}", "event is not a string");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"properties\":[]}", "properties is not an object");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"context\":\"x\"}", "context is not an object");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"context\":{\"page\":\"/\"}}", "context.page is not an object");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"context\":{\"userAgent\":1}}", "context.userAgent is not a string");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"timestamp\":\"yesterday\"}",
        "timestamp is not an ISO-8601 date-time with an offset");
    assertRefused("{\"type\":\"track\",\"event\":\"E\",\"messageId\":\"" + "m".repeat(101) + "\"}",
        "messageId is not a string of at most 100 characters");
    assertRefused("{\"type\":\"alias\",\"previousId\":\"p\"}", "userId is missing");
    assertRefused("{\"type\":\"alias\",\"userId\":\"u\",\"previousId\":{}}", "previousId is not a string of 1 to 256");
    assertRefused("{\"type\":\"group\",\"groupId\":\"a\\u0000b\"}", "groupId is not a string of 1 to 256");
  }

  @Test
  void numericIdsAreKeptAsStrings() {
    JsonObject event = rewrite("{\"type\":\"alias\",\"userId\":42,\"previousId\":\"p\"}", Type.ALIAS, SERVER);
    assertThat(event.getString("userId")).isEqualTo("42");
  }

  @Test
  void hostileStringsStayInsideTheirJsonStrings() {
    String hostile = "\\\"},\\\"type\\\":\\\"identify\\u2028\\u0000";
    JsonObject event = rewrite("{\"type\":\"track\",\"event\":\"" + hostile + "\",\"context\":{\"userAgent\":\""
        + hostile + "\"}}", Type.TRACK, SERVER);
    assertThat(event.getString("type")).isEqualTo("track");
    assertThat(event.getString("event")).isEqualTo("\"},\"type\":\"identify\u2028\u0000");
    assertThat(event.getJsonObject("context").getString("userAgent")).isEqualTo(event.getString("event"));
  }

  private void assertRefused(String text, String message) {
    assertThatThrownBy(() -> events.rewrite(json(text), null, SERVER))
        .isInstanceOf(BrowserEvents.InvalidEventException.class)
        .hasMessageStartingWith(message);
  }
}
