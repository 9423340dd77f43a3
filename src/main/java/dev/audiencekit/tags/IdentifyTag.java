package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.jsp.JspException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <analytics:identify userId="${user.id}"><analytics:trait name="email" value="${user.email}"/></analytics:identify>}:
 * identifies the visitor with analytics.js's rules (traits merged for the same user, replaced and the
 * anonymousId regenerated for a different one). The {@code traits} map and nested
 * {@code <analytics:trait>} tags (which win) are the user traits. Renders nothing.
 */
public class IdentifyTag extends AnalyticsTagSupport implements TraitCollector {
  private String userId;
  private Map<String, ?> traits;
  private String anonymousId;

  /** Collected from the body while {@link #doTag} runs; null outside it. */
  private Map<String, Object> nestedTraits;

  public void setUserId(String userId) {
    this.userId = userId;
  }

  public void setTraits(Map<String, ?> traits) {
    this.traits = traits;
  }

  public void setAnonymousId(String anonymousId) {
    this.anonymousId = anonymousId;
  }

  @Override
  String tagName() {
    return "<analytics:identify>";
  }

  @Override
  public void addTrait(String name, Object value) {
    nestedTraits.put(name, value);
  }

  @Override
  public void doTag() throws JspException, IOException {
    AnalyticsContext analytics = analytics();
    nestedTraits = new LinkedHashMap<>();
    try {
      evaluateBodyForNestedTags();
      Map<String, Object> merged = EventTagSupport.merge(traits, nestedTraits);
      call(() -> analytics.identify(PageTag.emptyToNull(userId), merged,
          EventTagSupport.options(anonymousId, null, null)));
    } finally {
      nestedTraits = null;
    }
  }
}
