package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import java.util.Map;

/**
 * {@code <analytics:identify userId="${user.id}"><analytics:trait name="email" value="${user.email}"/></analytics:identify>}:
 * identifies the visitor with analytics.js's rules (traits merged for the same user, replaced and the
 * anonymousId regenerated for a different one). The {@code traits} map and nested
 * {@code <analytics:trait>} tags (which win) are the user traits. Renders nothing.
 */
public class IdentifyTag extends TraitTagSupport {
  private String userId;
  private String anonymousId;

  public void setUserId(String userId) {
    this.userId = userId;
  }

  public void setAnonymousId(String anonymousId) {
    this.anonymousId = anonymousId;
  }

  @Override
  String tagName() {
    return "<analytics:identify>";
  }

  @Override
  void send(AnalyticsContext analytics, Map<String, Object> traits) {
    analytics.identify(PageTag.emptyToNull(userId), traits,
          EventTagSupport.options(anonymousId, null, null));
  }
}
