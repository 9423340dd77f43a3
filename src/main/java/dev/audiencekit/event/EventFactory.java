package dev.audiencekit.event;

import dev.audiencekit.Options;
import jakarta.json.JsonObject;
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

  /** The context keys the factory fills from the request; an option of the same name replaces one. */
  private static final Set<String> REQUEST_KEYS = Set.of("ip", "userAgent", "locale", "page", "campaign", "library");
  /** The track event Segment reserves for a change of a visitor's consent. */
  public static final String CONSENT_PREFERENCE_UPDATED = "Segment Consent Preference Updated";
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

  /**
   * The {@value #CONSENT_PREFERENCE_UPDATED} track event, as Segment documents it: no properties, the
   * visitor's new preferences in {@code context.consent.categoryPreferences}.
   *
   * @param request the request context, carrying the new consent
   * @throws IllegalArgumentException when the request context carries no consent
   */
  public String consentPreferenceUpdated(Ids ids, RequestContext request) {
    if (request.consent() == null) {
      throw new IllegalArgumentException("a consent preference event needs the request's consent");
    }
    return track(ids, CONSENT_PREFERENCE_UPDATED, null, request, Options.create());
  }

  public String identify(Ids ids, JsonObject traits, RequestContext request, Options options) {
    StringBuilder out = start("identify", ids, request, null, options);
    out.append(",\"traits\":").append(traits);
    return out.append('}').toString();
  }

  public String track(Ids ids, String event, Map<String, ?> properties, RequestContext request,
      Options options) {
    StringBuilder out = start("track", ids, request, null, options);
    out.append(",\"event\":");
    JsonStrings.append(out, event);
    out.append(",\"properties\":");
    appendProperties(out, properties);
    return out.append('}').toString();
  }

  /**
   * A page event. Its properties get the page's {@code path}, {@code url}, {@code search},
   * {@code referrer} (and {@code title}, {@code name}, {@code category} when given), the caller's keys
   * winning; the page keys the caller gave also change {@code context.page}, as analytics.js does.
   */
  public String page(Ids ids, String category, String name, String title, Map<String, ?> properties,
      RequestContext request, Options options) {
    Map<String, ?> given = properties == null ? Map.of() : properties;
    StringBuilder page = new StringBuilder(256).append('{');
    pageField(page, "path", request.path(), given);
    pageField(page, "referrer", request.referrer(), given);
    pageField(page, "search", request.search(), given);
    pageField(page, "url", request.url(), given);
    if (title != null || given.containsKey("title")) {
      pageField(page, "title", title, given);
    }
    page.setLength(page.length() - 1);
    String pageContext = page.append('}').toString();

    StringBuilder out = start("page", ids, request, pageContext, options);
    if (name != null) {
      out.append(",\"name\":");
      JsonStrings.append(out, name);
    }
    if (category != null) {
      out.append(",\"category\":");
      JsonStrings.append(out, category);
    }
    // properties: the page fields, name and category, then the caller's keys, which win
    out.append(",\"properties\":{");
    defaultField(out, "path", request.path(), given);
    defaultField(out, "referrer", request.referrer(), given);
    defaultField(out, "search", request.search(), given);
    defaultField(out, "url", request.url(), given);
    defaultField(out, "title", title, given);
    defaultField(out, "name", name, given);
    defaultField(out, "category", category, given);
    if (given.isEmpty()) {
      out.setLength(out.length() - 1);
    } else {
      String props = JsonValues.text("properties", given);
      out.append(props, 1, props.length() - 1);
    }
    return out.append("}}").toString();
  }

  /** {@code "key":value,} for context.page: the caller's property of that name, else the request's. */
  private static void pageField(StringBuilder out, String key, String value, Map<String, ?> given) {
    out.append('"').append(key).append("\":");
    if (given.containsKey(key)) {
      JsonValues.append(out, "properties." + key, given.get(key));
    } else {
      JsonStrings.appendNullable(out, value);
    }
    out.append(',');
  }

  /** {@code "key":value,} unless the value is null or the caller gave that key itself. */
  private static void defaultField(StringBuilder out, String key, String value, Map<String, ?> given) {
    if (value != null && !given.containsKey(key)) {
      out.append('"').append(key).append("\":");
      JsonStrings.append(out, value);
      out.append(',');
    }
  }

  private static void appendProperties(StringBuilder out, Map<String, ?> properties) {
    if (properties == null || properties.isEmpty()) {
      out.append("{}");
    } else if (properties instanceof JsonObject json) {
      out.append(json);
    } else {
      JsonValues.append(out, "properties", properties);
    }
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

  /**
   * Appends {@code instant} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC). Written by hand: the
   * {@link DateTimeFormatter} allocated about 1 KB per event, more than the rest of the event.
   */
  static void appendTimestamp(StringBuilder out, Instant instant) {
    long millis = instant.toEpochMilli();
    long seconds = Math.floorDiv(millis, 1000);
    long days = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    // days since 1970-01-01 to a civil date (proleptic Gregorian), as in H. Hinnant's civil_from_days
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthIndex = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    int month = (int) (monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      ISO_MILLIS.formatTo(instant, out);
      return;
    }
    pad(out, (int) year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, secondOfDay / 3600, 2).append(':');
    pad(out, secondOfDay / 60 % 60, 2).append(':');
    pad(out, secondOfDay % 60, 2).append('.');
    pad(out, (int) Math.floorMod(millis, 1000), 3).append('Z');
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    for (int limit = 10, digits = 1; digits < width; digits++, limit *= 10) {
      if (value < limit) {
        out.append('0');
      }
    }
    return out.append(value);
  }

  /** Writes the common fields; the caller adds its own and the closing brace. */
  private StringBuilder start(String type, Ids ids, RequestContext request, String pageOverride,
      Options options) {
    Instant now = clock.instant();
    StringBuilder out = new StringBuilder(640);
    out.append("{\"type\":\"").append(type).append("\",\"messageId\":");
    if (options.messageId() != null) {
      JsonStrings.append(out, options.messageId());
    } else {
      out.append("\"ak-").append(now.toEpochMilli()).append('-').append(Uuids.fast()).append('"');
    }
    out.append(",\"timestamp\":\"");
    appendTimestamp(out, options.timestamp() != null ? options.timestamp() : now);
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

  private void context(StringBuilder out, RequestContext request, String pageOverride,
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
    String consent = request.consent();
    if (consent != null) {
      // The visitor's consent is the request's, never an option's: destinations enforce it.
      out.append(",\"consent\":").append(consent);
    }
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      if (!REQUEST_KEYS.contains(entry.getKey()) && !(consent != null && entry.getKey().equals("consent"))) {
        out.append(',');
        JsonStrings.append(out, entry.getKey());
        out.append(':').append(JsonValues.value("context." + entry.getKey(), entry.getValue()));
      }
    }
    out.append('}');
  }
}
