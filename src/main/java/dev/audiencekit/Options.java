package dev.audiencekit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-call options of an event, as analytics.js takes them. Immutable: every method returns a new
 * {@code Options} with one more setting.
 *
 * <pre>{@code
 * analytics.track("Order Completed", props, Options.create().ip(""));
 * }</pre>
 */
public final class Options {
  private static final Options EMPTY =
      new Options(null, null, null, null, Map.of(), Map.of());

  private final String anonymousId;
  private final String userId;
  private final Instant timestamp;
  private final String messageId;
  private final Map<String, Object> integrations;
  private final Map<String, Object> context;

  private Options(String anonymousId, String userId, Instant timestamp, String messageId,
      Map<String, Object> integrations, Map<String, Object> context) {
    this.anonymousId = anonymousId;
    this.userId = userId;
    this.timestamp = timestamp;
    this.messageId = messageId;
    this.integrations = integrations;
    this.context = context;
  }

  /** No options. */
  public static Options create() {
    return EMPTY;
  }

  /** Overrides the anonymousId; like analytics.js, it persists for the rest of the visit. */
  public Options anonymousId(String anonymousId) {
    Ids.require("anonymousId", anonymousId);
    return new Options(anonymousId, userId, timestamp, messageId, integrations, context);
  }

  /** A userId used only while the user is anonymous; never persisted. */
  public Options userId(String userId) {
    Ids.require("userId", userId);
    return new Options(anonymousId, userId, timestamp, messageId, integrations, context);
  }

  public Options timestamp(Instant timestamp) {
    Objects.requireNonNull(timestamp, "timestamp");
    return new Options(anonymousId, userId, timestamp, messageId, integrations, context);
  }

  /** The event's messageId (the collector de-duplicates on it); under 100 characters. */
  public Options messageId(String messageId) {
    Ids.require("messageId", messageId);
    if (messageId.length() >= 100) {
      throw new IllegalArgumentException("messageId must be shorter than 100 characters");
    }
    return new Options(anonymousId, userId, timestamp, messageId, integrations, context);
  }

  /** Turns one destination on or off ({@code "All"} for all of them). */
  public Options integration(String name, boolean enabled) {
    return withIntegration(name, enabled);
  }

  /** Destination-specific options. */
  public Options integration(String name, Map<String, ?> settings) {
    Objects.requireNonNull(settings, "settings");
    return withIntegration(name, Map.copyOf(settings));
  }

  private Options withIntegration(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> copy = new LinkedHashMap<>(integrations);
    copy.put(name, value);
    return new Options(anonymousId, userId, timestamp, messageId, Collections.unmodifiableMap(copy), context);
  }

  /** Sets {@code context.<key>} of the event (e.g. {@code "ip"}, {@code "locale"}, {@code "traits"}). */
  public Options context(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> copy = new LinkedHashMap<>(context);
    copy.put(key, value);
    return new Options(anonymousId, userId, timestamp, messageId, integrations, Collections.unmodifiableMap(copy));
  }

  /** Traits for {@code context.traits} of this one event; not cached, not persisted. */
  public Options contextTraits(Map<String, ?> traits) {
    return context("traits", traits);
  }

  /** This event's {@code context.ip}; {@code ""} keeps the IP out of the event. */
  public Options ip(String ip) {
    Objects.requireNonNull(ip, "ip");
    return context("ip", ip);
  }

  public String anonymousId() { return anonymousId; }
  public String userId() { return userId; }
  public Instant timestamp() { return timestamp; }
  public String messageId() { return messageId; }
  public Map<String, Object> integrations() { return integrations; }
  public Map<String, Object> context() { return context; }

  @Override
  public String toString() {
    return "Options{anonymousId=" + anonymousId + ", userId=" + userId + ", timestamp=" + timestamp
        + ", messageId=" + messageId + ", integrations=" + integrations + ", context=" + context.keySet() + "}";
  }
}
