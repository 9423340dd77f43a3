package dev.audiencekit;

import java.util.Map;

/**
 * The visitor, as analytics.js's {@code analytics.user()} sees it. A view onto its
 * {@link AnalyticsContext}: same lifetime, same thread rules.
 */
public final class User {
  private final AnalyticsContext context;

  User(AnalyticsContext context) {
    this.context = context;
  }

  /** The anonymousId; never null: one is generated and persisted when there is none (after a reset). */
  public String anonymousId() {
    return context.anonymousId();
  }

  /**
   * Overrides the anonymousId, persisted to the cookies and the mirror ({@code analytics.setAnonymousId}).
   * {@code null} clears it; the next read generates a new one.
   *
   * @return the anonymousId now in effect ({@code null} after clearing)
   * @throws IllegalArgumentException when the id is empty, longer than 256 characters or contains a
   *     control character
   */
  public String anonymousId(String anonymousId) {
    return context.overrideAnonymousId(Ids.optional("anonymousId", anonymousId));
  }

  /** The userId, or {@code null} while the visitor is anonymous. */
  public String id() {
    return context.userId();
  }

  /** The cached user traits (unmodifiable). */
  public Map<String, Object> traits() {
    return context.userTraitsView();
  }

  /** Replaces the cached traits; an empty map (or null) clears them. No event is sent. */
  public void traits(Map<String, ?> traits) {
    context.replaceUserTraits(traits);
  }

  /** EL: {@code ${analytics.user.anonymousId}}. */
  public String getAnonymousId() {
    return anonymousId();
  }

  /** EL: {@code ${analytics.user.id}}. */
  public String getId() {
    return id();
  }

  /** EL: {@code ${analytics.user.traits}}. */
  public Map<String, Object> getTraits() {
    return traits();
  }

  @Override
  public String toString() {
    return "User{anonymousId=" + context.peekAnonymousId() + ", id=" + id() + "}";
  }
}
