package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import java.util.Map;

/**
 * {@code <analytics:group groupId="acme"><analytics:trait name="plan" value="pro"/></analytics:group>}:
 * associates the visitor with a group. The {@code traits} map and nested {@code <analytics:trait>}
 * tags (which win) are the group traits. Renders nothing.
 */
public class GroupTag extends TraitTagSupport {
  private String groupId;

  public void setGroupId(String groupId) {
    this.groupId = groupId;
  }

  @Override
  String tagName() {
    return "<analytics:group>";
  }

  @Override
  void send(AnalyticsContext analytics, Map<String, Object> traits) {
    analytics.group(PageTag.emptyToNull(groupId), traits, null);
  }
}
