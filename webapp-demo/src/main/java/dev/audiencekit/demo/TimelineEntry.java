package dev.audiencekit.demo;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One event on the inspector's timeline (a JavaBean, for EL). */
public final class TimelineEntry {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private final Instant time;
  private final String origin;
  private final String type;
  private final String label;
  private final String anonymousId;
  private final String userId;
  private final String consent;
  private final List<String> details;
  private boolean newIdentity;

  private TimelineEntry(Instant time, String origin, String type, String label, String anonymousId,
      String userId, String consent, List<String> details) {
    this.consent = consent;
    this.time = time;
    this.origin = origin;
    this.type = type;
    this.label = label;
    this.anonymousId = anonymousId;
    this.userId = userId;
    this.details = details;
  }

  /** An entry for a Segment-format event; {@code origin} is {@code server} or {@code browser}. */
  static TimelineEntry of(JsonObject event, String origin) {
    String type = text(event, "type", "event");
    String label = switch (type) {
      case "track" -> text(event, "event", "(unnamed)");
      case "page" -> pageLabel(event);
      case "identify" -> "as " + text(event, "userId", "(anonymous)");
      case "group" -> "group " + text(event, "groupId", "?");
      case "alias" -> text(event, "previousId", "?") + " → " + text(event, "userId", "?");
      default -> type;
    };
    List<String> details = new ArrayList<>();
    JsonValue context = event.get("context");
    if (context instanceof JsonObject c && c.get("ip") instanceof JsonString ip) {
      details.add(ip.getString().isEmpty() ? "context.ip = \"\" (IP kept out)" : "ip " + ip.getString());
    }
    String consent = null;
    if (context instanceof JsonObject c && c.get("consent") instanceof JsonObject o
        && o.get("categoryPreferences") instanceof JsonObject preferences) {
      consent = preferences.toString();
    }
    JsonValue fields = event.get("identify".equals(type) || "group".equals(type) ? "traits" : "properties");
    if (fields instanceof JsonObject object) {
      for (Map.Entry<String, JsonValue> field : object.entrySet()) {
        if (details.size() >= 4) {
          details.add("…");
          break;
        }
        if (!"page".equals(type) || !List.of("path", "url", "search", "referrer", "name", "category").contains(field.getKey())) {
          details.add(field.getKey() + " = " + shortJson(field.getValue()));
        }
      }
    }
    return new TimelineEntry(instant(event), origin, type, label, text(event, "anonymousId", null),
        text(event, "userId", null), consent, details);
  }

  private static String pageLabel(JsonObject event) {
    String name = text(event, "name", null);
    if (name != null) {
      return name;
    }
    if (event.get("properties") instanceof JsonObject props) {
      return text(props, "path", "page");
    }
    return "page";
  }

  private static String shortJson(JsonValue value) {
    String text = value instanceof JsonString s ? s.getString()
        : value instanceof JsonNumber n ? n.toString() : value.toString();
    return text.length() > 60 ? text.substring(0, 57) + "…" : text;
  }

  static String text(JsonObject object, String key, String fallback) {
    JsonValue value = object.get(key);
    return value instanceof JsonString s ? s.getString() : fallback;
  }

  private static Instant instant(JsonObject event) {
    try {
      return Instant.parse(text(event, "timestamp", ""));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  public Instant time() { return time; }
  public String getClock() { return CLOCK.format(time); }
  public String getOrigin() { return origin; }
  public String getType() { return type; }
  public String getLabel() { return label; }
  public String getAnonymousId() { return anonymousId; }
  public String getUserId() { return userId; }
  /** {@code context.consent.categoryPreferences} as JSON text, or null when the event carries none. */
  public String getConsent() { return consent; }
  public List<String> getDetails() { return details; }
  /** True when this event is the first one under a different anonymousId than the event before it. */
  public boolean isNewIdentity() { return newIdentity; }

  void markNewIdentity() {
    this.newIdentity = true;
  }
}
