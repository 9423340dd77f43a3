package dev.audiencekit;

import java.util.Map;

/** The visitor's group (account, company), as analytics.js's {@code analytics.group()} sees it. */
public final class Group {
  private final AnalyticsContext context;

  Group(AnalyticsContext context) {
    this.context = context;
  }

  /** The groupId, or {@code null}. */
  public String id() {
    return context.groupId();
  }

  /** The cached group traits (unmodifiable). */
  public Map<String, Object> traits() {
    return context.groupTraitsView();
  }

  /** Replaces the cached group traits; an empty map (or null) clears them. No event is sent. */
  public void traits(Map<String, ?> traits) {
    context.replaceGroupTraits(traits);
  }

  /** EL: {@code ${analytics.group.id}}. */
  public String getId() {
    return id();
  }

  /** EL: {@code ${analytics.group.traits}}. */
  public Map<String, Object> getTraits() {
    return traits();
  }

  @Override
  public String toString() {
    return "Group{id=" + id() + "}";
  }
}
