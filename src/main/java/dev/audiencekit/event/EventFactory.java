package dev.audiencekit.event;

import dev.audiencekit.Options;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import jakarta.json.spi.JsonProvider;

/**
 * Builds events in the Segment spec's shape (SPEC §7): {@code type}, {@code messageId},
 * {@code timestamp}, {@code anonymousId}, {@code userId} ({@code null} when anonymous),
 * {@code context}, {@code integrations} when given, and the fields of the type.
 *
 * <p>Events are written straight to their JSON text (what the collector receives), on the request
 * thread, without building an object tree first: this is the one piece of per-event work the request
 * thread does, so it is kept to a single pass.
 */
public final class EventFactory {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();

  static final Set<String> PAGE_KEYS = Set.of("path", "referrer", "search", "title", "url");
  /** The context keys the factory fills from the request; an option of the same name replaces one. */
  private static final Set<String> REQUEST_KEYS = Set.of("ip", "userAgent", "locale", "page", "campaign", "library");
  /** ISO-8601 UTC with milliseconds, always three digits. */
  public static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final String library;

  public EventFactory(Clock clock, String libraryVersion) {
    this.clock = clock;
    this.library = JSON_P.createObjectBuilder()
        .add("name", "audiencekit-servlet")
        .add("version", libraryVersion)
        .build()
        .toString();
  }

  /** Who an event is about. {@code userId} is {@code null} for an anonymous visitor. */
  public record Ids(String anonymousId, String userId) {}

  public String identify(Ids ids, JsonObject traits, RequestContext request, Options options) {
    StringBuilder out = start("identify", ids, request, null, options);
    out.append(",\"traits\":").append(traits);
    return out.append('}').toString();
  }

  public String track(Ids ids, String event, JsonObject properties, RequestContext request, Options options) {
    StringBuilder out = start("track", ids, request, null, options);
    out.append(",\"event\":");
    JsonStrings.append(out, event);
    out.append(",\"properties\":").append(properties);
    return out.append('}').toString();
  }

  /**
   * A page event. Its properties get the page's {@code path}, {@code url}, {@code search},
   * {@code referrer} (and {@code title}, {@code name}, {@code category} when given), the caller's keys
   * winning; the page keys the caller gave also change {@code context.page}, as analytics.js does.
   */
  public String page(Ids ids, String category, String name, String title, JsonObject properties,
      RequestContext request, Options options) {
    JsonObjectBuilder page = request.page();
    if (title != null) {
      page.add("title", title);
    }
    JsonObject pageContext = page.build();
    JsonObjectBuilder props = JSON_P.createObjectBuilder(pageContext);
    if (name != null) {
      props.add("name", name);
    }
    if (category != null) {
      props.add("category", category);
    }
    properties.forEach(props::add);
    JsonObjectBuilder contextPage = JSON_P.createObjectBuilder(pageContext);
    for (String key : PAGE_KEYS) {
      JsonValue given = properties.get(key);
      if (given != null) {
        contextPage.add(key, given);
      }
    }
    StringBuilder out = start("page", ids, request, contextPage.build(), options);
    if (name != null) {
      out.append(",\"name\":");
      JsonStrings.append(out, name);
    }
    if (category != null) {
      out.append(",\"category\":");
      JsonStrings.append(out, category);
    }
    out.append(",\"properties\":").append(props.build());
    return out.append('}').toString();
  }

  public String group(Ids ids, String groupId, JsonObject traits, RequestContext request, Options options) {
    StringBuilder out = start("group", ids, request, null, options);
    out.append(",\"groupId\":");
    JsonStrings.appendNullable(out, groupId);
    out.append(",\"traits\":").append(traits);
    return out.append('}').toString();
  }

  public String alias(Ids ids, String userId, String previousId, RequestContext request, Options options) {
    StringBuilder out = start("alias", new Ids(ids.anonymousId(), userId), request, null, options);
    out.append(",\"previousId\":");
    JsonStrings.append(out, previousId);
    return out.append('}').toString();
  }

  /** Writes the common fields; the caller adds its own and the closing brace. */
  private StringBuilder start(String type, Ids ids, RequestContext request, JsonObject pageOverride,
      Options options) {
    Instant now = clock.instant();
    StringBuilder out = new StringBuilder(1024);
    out.append("{\"type\":\"").append(type).append("\",\"messageId\":");
    if (options.messageId() != null) {
      JsonStrings.append(out, options.messageId());
    } else {
      out.append("\"ak-").append(now.toEpochMilli()).append('-').append(Uuids.fast()).append('"');
    }
    out.append(",\"timestamp\":\"");
    ISO_MILLIS.formatTo(options.timestamp() != null ? options.timestamp() : now, out);
    out.append("\",\"anonymousId\":");
    JsonStrings.append(out, ids.anonymousId());
    out.append(",\"userId\":");
    JsonStrings.appendNullable(out, ids.userId() != null ? ids.userId() : options.userId());
    out.append(",\"context\":");
    context(out, request, pageOverride, options.context());
    if (!options.integrations().isEmpty()) {
      out.append(",\"integrations\":").append(JsonValues.object("integrations", options.integrations()));
    }
    return out;
  }

  private void context(StringBuilder out, RequestContext request, JsonObject pageOverride,
      Map<String, Object> given) {
    out.append("{\"ip\":");
    if (given.containsKey("ip")) {
      out.append(JsonValues.value("context.ip", given.get("ip")));
    } else {
      JsonStrings.append(out, request.ip());
    }
    if (given.containsKey("userAgent")) {
      out.append(",\"userAgent\":").append(JsonValues.value("context.userAgent", given.get("userAgent")));
    } else if (request.userAgent() != null) {
      out.append(",\"userAgent\":");
      JsonStrings.append(out, request.userAgent());
    }
    if (given.containsKey("locale")) {
      out.append(",\"locale\":").append(JsonValues.value("context.locale", given.get("locale")));
    } else if (request.locale() != null) {
      out.append(",\"locale\":");
      JsonStrings.append(out, request.locale());
    }
    out.append(",\"page\":");
    if (given.containsKey("page")) {
      out.append(JsonValues.value("context.page", given.get("page")));
    } else if (pageOverride != null) {
      out.append(pageOverride);
    } else {
      request.appendPage(out);
    }
    if (given.containsKey("campaign")) {
      out.append(",\"campaign\":").append(JsonValues.value("context.campaign", given.get("campaign")));
    } else {
      JsonObject campaign = request.campaign();
      if (campaign != null) {
        out.append(",\"campaign\":").append(campaign);
      }
    }
    out.append(",\"library\":");
    out.append(given.containsKey("library") ? JsonValues.value("context.library", given.get("library")).toString() : library);
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      if (!REQUEST_KEYS.contains(entry.getKey())) {
        out.append(',');
        JsonStrings.append(out, entry.getKey());
        out.append(':').append(JsonValues.value("context." + entry.getKey(), entry.getValue()));
      }
    }
    out.append('}');
  }
}
