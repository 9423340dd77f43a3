package dev.audiencekit.collect;

/**
 * What the collection endpoint needs of the request's resolved identity, and the one way out for the
 * events it accepts. The filter implements it from the request's {@code AnalyticsContext}, after
 * resolving the identity as for any other request.
 */
public interface Visitor {
  /** False for a skipped bot and any context that sends no events; the endpoint then answers 204. */
  boolean tracked();

  /** The anonymousId the server resolved (never null). */
  String anonymousId();

  /** The userId the server knows, or null for an anonymous visitor. */
  String userId();

  /** The value of {@code context.ip} under the {@code ip} setting ({@code ""} when omitted). */
  String ip();

  /** The JSON object to stamp as {@code context.consent}, or null when there is none. */
  String consentJson();

  /** Hands one finished event to delivery, the same queue as the server's own events. */
  void deliver(String eventJson);
}
