package dev.audiencekit.event;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Turns an event that analytics.js posted to the first-party collection endpoint into the event the
 * server delivers: the browser's own fields are kept, the server's identity and {@code context.ip}
 * replace whatever the browser claimed, and everything else is dropped. Each field kept is checked for
 * its JSON type, so what reaches the collector cannot make it refuse a whole batch.
 *
 * <p>Kept: {@code type}, {@code messageId}, {@code timestamp}; {@code event} and {@code properties}
 * (track); {@code name}, {@code category}, {@code properties} (page, screen); {@code traits} (identify,
 * group); {@code groupId} (group); {@code userId} and {@code previousId} (alias); and from
 * {@code context}: {@code page}, {@code userAgent}, {@code locale}, {@code campaign}, {@code library}.
 * Set by the server: {@code anonymousId}; {@code userId} (but an alias keeps the browser's);
 * {@code context.ip}; {@code context.consent}. A missing {@code messageId} or {@code timestamp} is
 * supplied by the server. Like {@link EventFactory}, it writes the JSON text in a single pass.
 */
public final class BrowserEvents {
  /** Longest messageId kept: the collectors' limit. */
  static final int MAX_MESSAGE_ID_CHARS = 100;
  /** Ids (userId, previousId, groupId) follow the API's rule: 1 to 256 characters, no control characters. */
  static final int MAX_ID_CHARS = 256;
  private static final int MAX_TIMESTAMP_CHARS = 64;

  private final Clock clock;

  public BrowserEvents(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The event types analytics.js posts, each with the one-letter path it posts to. */
  public enum Type {
    TRACK('t'), PAGE('p'), IDENTIFY('i'), GROUP('g'), ALIAS('a'), SCREEN('s');

    private final char path;
    private final String json;

    Type(char path) {
      this.path = path;
      this.json = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type analytics.js posts to {@code /v1/<path>}, or null. */
    public static Type ofPath(char path) {
      for (Type type : values()) {
        if (type.path == path) {
          return type;
        }
      }
      return null;
    }

    static Type ofJson(String name) {
      for (Type type : values()) {
        if (type.json.equals(name)) {
          return type;
        }
      }
      return null;
    }

    /** The value of the event's {@code type} field. */
    public String json() {
      return json;
    }
  }

  /** Who the server says the request is about, and what it adds to every event's context. */
  public record Server(String anonymousId, String userId, String ip, String consentJson) {
    public Server {
      Objects.requireNonNull(anonymousId, "anonymousId");
      Objects.requireNonNull(ip, "ip");
    }
  }

  /**
   * The event to deliver.
   *
   * @param json        its JSON text
   * @param idsReplaced whether the browser claimed an anonymousId or userId other than the server's
   */
  public record Rewritten(String json, boolean idsReplaced) {}

  /** A browser event that cannot be delivered; the message names the field and what is wrong. */
  public static final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
      super(message, null, false, false); // hostile input is common: no stack trace to fill
    }
  }

  /**
   * Rewrites one browser event.
   *
   * @param value    what the browser sent as the event
   * @param expected the type the request's path implies, or null when any type is accepted (a batch)
   * @param server   the server's identity and context for the request
   * @throws InvalidEventException when a field has the wrong type or the event's type is not accepted
   */
  public Rewritten rewrite(JsonValue value, Type expected, Server server) {
    if (!(value instanceof JsonObject event)) {
      throw new InvalidEventException("the event is not a JSON object");
    }
    Type type = type(event, expected);
    StringBuilder out = new StringBuilder(512);
    out.append("{\"type\":\"").append(type.json()).append("\",\"messageId\":");
    String messageId = text(event, "messageId", MAX_MESSAGE_ID_CHARS);
    Instant now = null;
    if (messageId != null) {
      JsonStrings.append(out, messageId);
    } else {
      now = clock.instant();
      out.append("\"ak-").append(now.toEpochMilli()).append('-').append(Uuids.fast()).append('"');
    }
    out.append(",\"timestamp\":");
    String timestamp = timestamp(event);
    if (timestamp != null) {
      JsonStrings.append(out, timestamp);
    } else {
      out.append('"');
      EventFactory.appendTimestamp(out, now != null ? now : clock.instant());
      out.append('"');
    }
    out.append(",\"anonymousId\":");
    JsonStrings.append(out, server.anonymousId());
    boolean replaced = !claims(event, "anonymousId", server.anonymousId(), true);
    String userId = server.userId();
    if (type == Type.ALIAS) {
      userId = id(event, "userId", true);
    } else if (!claims(event, "userId", server.userId(), false)) {
      replaced = true;
    }
    out.append(",\"userId\":");
    JsonStrings.appendNullable(out, userId);
    out.append(",\"context\":");
    context(out, event, server);
    switch (type) {
      case TRACK -> {
        String name = text(event, "event", Integer.MAX_VALUE);
        if (name == null || name.isEmpty()) {
          throw new InvalidEventException("event is missing or not a non-empty string");
        }
        out.append(",\"event\":");
        JsonStrings.append(out, name);
        out.append(",\"properties\":").append(object(event, "properties"));
      }
      case PAGE, SCREEN -> {
        optionalText(out, event, "name");
        optionalText(out, event, "category");
        out.append(",\"properties\":").append(object(event, "properties"));
      }
      case IDENTIFY -> out.append(",\"traits\":").append(object(event, "traits"));
      case GROUP -> {
        out.append(",\"groupId\":");
        JsonStrings.appendNullable(out, id(event, "groupId", false));
        out.append(",\"traits\":").append(object(event, "traits"));
      }
      case ALIAS -> {
        out.append(",\"previousId\":");
        JsonStrings.append(out, id(event, "previousId", true));
      }
    }
    return new Rewritten(out.append('}').toString(), replaced);
  }

  private static Type type(JsonObject event, Type expected) {
    JsonValue value = event.get("type");
    if (!(value instanceof JsonString string)) {
      throw new InvalidEventException("type is missing or not a string");
    }
    Type type = Type.ofJson(string.getString());
    if (type == null) {
      throw new InvalidEventException("type is not one of track, page, identify, group, alias, screen");
    }
    if (expected != null && type != expected) {
      throw new InvalidEventException("type " + type.json() + " does not match the path, which takes "
          + expected.json() + " events");
    }
    return type;
  }

  /** The browser's {@code context}, reduced to what it may set, plus the server's ip and consent. */
  private static void context(StringBuilder out, JsonObject event, Server server) {
    JsonValue value = event.get("context");
    JsonObject context = null;
    if (value instanceof JsonObject object) {
      context = object;
    } else if (value != null && value != JsonValue.NULL) {
      throw new InvalidEventException("context is not an object");
    }
    out.append("{\"ip\":");
    JsonStrings.append(out, server.ip());
    if (context != null) {
      copy(out, context, "userAgent", JsonValue.ValueType.STRING);
      copy(out, context, "locale", JsonValue.ValueType.STRING);
      copy(out, context, "page", JsonValue.ValueType.OBJECT);
      copy(out, context, "campaign", JsonValue.ValueType.OBJECT);
      copy(out, context, "library", JsonValue.ValueType.OBJECT);
    }
    if (server.consentJson() != null) {
      out.append(",\"consent\":").append(server.consentJson());
    }
    out.append('}');
  }

  private static void copy(StringBuilder out, JsonObject context, String key, JsonValue.ValueType type) {
    JsonValue value = context.get(key);
    if (value == null || value == JsonValue.NULL) {
      return;
    }
    if (value.getValueType() != type) {
      throw new InvalidEventException("context." + key + " is not " + (type == JsonValue.ValueType.STRING
          ? "a string" : "an object"));
    }
    out.append(",\"").append(key).append("\":");
    if (value instanceof JsonString string) {
      JsonStrings.append(out, string.getString());
    } else {
      out.append(value);
    }
  }

  /** The object under {@code key} as JSON text; {@code {}} when absent or null. */
  private static String object(JsonObject event, String key) {
    JsonValue value = event.get(key);
    if (value == null || value == JsonValue.NULL) {
      return "{}";
    }
    if (!(value instanceof JsonObject)) {
      throw new InvalidEventException(key + " is not an object");
    }
    return value.toString();
  }

  private static void optionalText(StringBuilder out, JsonObject event, String key) {
    String text = text(event, key, Integer.MAX_VALUE);
    if (text != null) {
      out.append(",\"").append(key).append("\":");
      JsonStrings.append(out, text);
    }
  }

  /** A string field, or null when absent or null; a non-string or a string over {@code max} is refused. */
  private static String text(JsonObject event, String key, int max) {
    JsonValue value = event.get(key);
    if (value == null || value == JsonValue.NULL) {
      return null;
    }
    if (!(value instanceof JsonString string) || string.getString().length() > max
        || (max != Integer.MAX_VALUE && hasControl(string.getString()))) {
      throw new InvalidEventException(key + " is not a string" + (max == Integer.MAX_VALUE ? ""
          : " of at most " + max + " characters without control characters"));
    }
    return string.getString();
  }

  /** An ISO-8601 date-time with an offset, as analytics.js writes {@code new Date()}; null when absent. */
  private static String timestamp(JsonObject event) {
    String text = text(event, "timestamp", MAX_TIMESTAMP_CHARS);
    if (text == null) {
      return null;
    }
    try {
      OffsetDateTime.parse(text);
      return text;
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("timestamp is not an ISO-8601 date-time with an offset");
    }
  }

  /** An id: a string of 1 to 256 characters without control characters, or a number (as its text). */
  private static String id(JsonObject event, String key, boolean required) {
    JsonValue value = event.get(key);
    String id = null;
    if (value instanceof JsonString string) {
      id = string.getString();
    } else if (value instanceof JsonNumber number) {
      id = number.toString();
    } else if (value != null && value != JsonValue.NULL) {
      id = "";
    }
    if (id == null) {
      if (required) {
        throw new InvalidEventException(key + " is missing");
      }
      return null;
    }
    if (id.isEmpty() || id.length() > MAX_ID_CHARS || hasControl(id)) {
      throw new InvalidEventException(key + " is not a string of 1 to " + MAX_ID_CHARS
          + " characters without control characters");
    }
    return id;
  }

  /**
   * Whether the browser's {@code key} agrees with the server's value. An absent anonymousId claims
   * nothing; an absent userId claims an anonymous visitor.
   */
  private static boolean claims(JsonObject event, String key, String server, boolean absentAgrees) {
    JsonValue value = event.get(key);
    if (value == null || value == JsonValue.NULL) {
      return absentAgrees || server == null;
    }
    return value instanceof JsonString string && string.getString().equals(server);
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
