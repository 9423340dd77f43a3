package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.jsp.JspException;

/**
 * {@code <analytics:alias userId="u-42"/>}: links {@code userId} with {@code previousId} (default: the
 * current userId, else the anonymousId). Renders nothing.
 */
public class AliasTag extends AnalyticsTagSupport {
  private String userId;
  private String previousId;

  public void setUserId(String userId) {
    this.userId = userId;
  }

  public void setPreviousId(String previousId) {
    this.previousId = previousId;
  }

  @Override
  String tagName() {
    return "<analytics:alias>";
  }

  @Override
  public void doTag() throws JspException {
    AnalyticsContext analytics = analytics();
    call(() -> analytics.alias(userId, PageTag.emptyToNull(previousId), null));
  }
}
