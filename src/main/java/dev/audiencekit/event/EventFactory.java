package dev.audiencekit.event;

import dev.audiencekit.Options;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

/**
 * Builds events in the Segment spec's shape (SPEC §7): {@code type}, {@code messageId},
 * {@code timestamp}, {@code anonymousId}, {@code userId} ({@code null} when anonymous),
 * {@code context}, {@code integrations} when given, and the fields of the type.
 */
public final class EventFactory {
  /**
   * Looked up once: {@code Json.createX} calls {@code JsonProvider.provider()}, a {@code ServiceLoader}
   * scan of the class path, on every call (tens of KB and microseconds per event in a web application).
   */
  private static final JsonProvider JSON = JsonProvider.provider();
  static final Set<String> PAGE_KEYS = Set.of("path", "referrer", "search", "title", "url");
  /** ISO-8601 UTC with milliseconds, always three digits. */
  public static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final JsonObject library;

  public EventFactory(Clock clock, String libraryVersion) {
    this.clock = clock;
    this.library = JSON.createObjectBuilder()
        .add("name", "audiencekit-servlet")
        .add("version", libraryVersion)
        .build();
  }

  /** Who an event is about. {@code userId} is {@code null} for an anonymous visitor. */
  public record Ids(String anonymousId, String userId) {}

  public JsonObject identify(Ids ids, JsonObject traits, RequestContext request, Options options) {
    JsonObjectBuilder fields = JSON.createObjectBuilder().add("traits", traits);
    return build("identify", ids, fields, request, null, options);
  }

  public JsonObject track(Ids ids, String event, JsonObject properties, RequestContext request,
      Options options) {
    JsonObjectBuilder fields = JSON.createObjectBuilder().add("event", event).add("properties", properties);
    return build("track", ids, fields, request, null, options);
  }

  /**
   * A page event. Its properties get the page's {@code path}, {@code url}, {@code search},
   * {@code referrer} (and {@code title}, {@code name}, {@code category} when given), the caller's keys
   * winning; the page keys the caller gave also change {@code context.page}, as analytics.js does.
   */
  public JsonObject page(Ids ids, String category, String name, String title, JsonObject properties,
      RequestContext request, Options options) {
    JsonObjectBuilder page = request.page();
    if (title != null) {
      page.add("title", title);
    }
    JsonObject pageContext = page.build();
    JsonObjectBuilder props = JSON.createObjectBuilder(pageContext);
    if (name != null) {
      props.add("name", name);
    }
    if (category != null) {
      props.add("category", category);
    }
    properties.forEach(props::add);
    JsonObject finalProps = props.build();
    JsonObjectBuilder contextPage = JSON.createObjectBuilder(pageContext);
    for (String key : PAGE_KEYS) {
      JsonValue given = properties.get(key);
      if (given != null) {
        contextPage.add(key, given);
      }
    }
    JsonObjectBuilder fields = JSON.createObjectBuilder();
    if (name != null) {
      fields.add("name", name);
    }
    if (category != null) {
      fields.add("category", category);
    }
    fields.add("properties", finalProps);
    return build("page", ids, fields, request, contextPage.build(), options);
  }

  public JsonObject group(Ids ids, String groupId, JsonObject traits, RequestContext request,
      Options options) {
    JsonObjectBuilder fields = JSON.createObjectBuilder();
    if (groupId == null) {
      fields.addNull("groupId");
    } else {
      fields.add("groupId", groupId);
    }
    fields.add("traits", traits);
    return build("group", ids, fields, request, null, options);
  }

  public JsonObject alias(Ids ids, String userId, String previousId, RequestContext request,
      Options options) {
    JsonObjectBuilder fields = JSON.createObjectBuilder().add("previousId", previousId);
    return build("alias", new Ids(ids.anonymousId(), userId), fields, request, null, options);
  }

  private JsonObject build(String type, Ids ids, JsonObjectBuilder fields, RequestContext request,
      JsonObject pageOverride, Options options) {
    Instant now = clock.instant();
    Instant timestamp = options.timestamp() != null ? options.timestamp() : now;
    String messageId = options.messageId() != null
        ? options.messageId()
        : "ak-" + now.toEpochMilli() + "-" + Uuids.fast();
    JsonObjectBuilder event = JSON.createObjectBuilder()
        .add("type", type)
        .add("messageId", messageId)
        .add("timestamp", ISO_MILLIS.format(timestamp))
        .add("anonymousId", ids.anonymousId());
    String userId = ids.userId() != null ? ids.userId() : options.userId();
    if (userId == null) {
      event.addNull("userId");
    } else {
      event.add("userId", userId);
    }
    event.add("context", context(request, pageOverride, options));
    if (!options.integrations().isEmpty()) {
      event.add("integrations", JsonValues.object("integrations", options.integrations()));
    }
    fields.build().forEach(event::add);
    return event.build();
  }

  private JsonObject context(RequestContext request, JsonObject pageOverride, Options options) {
    JsonObjectBuilder context = JSON.createObjectBuilder();
    context.add("ip", request.ip());
    if (request.userAgent() != null) {
      context.add("userAgent", request.userAgent());
    }
    if (request.locale() != null) {
      context.add("locale", request.locale());
    }
    context.add("page", pageOverride != null ? pageOverride : request.page().build());
    JsonObject campaign = request.campaign();
    if (campaign != null) {
      context.add("campaign", campaign);
    }
    context.add("library", library);
    for (Map.Entry<String, Object> entry : options.context().entrySet()) {
      context.add(entry.getKey(), JsonValues.value("context." + entry.getKey(), entry.getValue()));
    }
    return context.build();
  }
}
