package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.jsp.JspException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <analytics:group groupId="acme"><analytics:trait name="plan" value="pro"/></analytics:group>}:
 * associates the visitor with a group. The {@code traits} map and nested {@code <analytics:trait>}
 * tags (which win) are the group traits. Renders nothing.
 */
public class GroupTag extends AnalyticsTagSupport implements TraitCollector {
  private String groupId;
  private Map<String, ?> traits;

  /** Collected from the body while {@link #doTag} runs; null outside it. */
  private Map<String, Object> nestedTraits;

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  public void setTraits(Map<String, ?> traits) {
    this.traits = traits;
  }

  @Override
  String tagName() {
    return "<analytics:group>";
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
      call(() -> analytics.group(PageTag.emptyToNull(groupId), merged, null));
    } finally {
      nestedTraits = null;
    }
  }
}
