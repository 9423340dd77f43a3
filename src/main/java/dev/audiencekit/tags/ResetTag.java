package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;

/**
 * {@code <analytics:reset/>}: forgets the visitor (userId, anonymousId, traits, group), as on logout.
 * The cookies are deleted when the response commits; a new anonymousId is minted by the next tag or
 * call that needs one. Renders nothing.
 */
public class ResetTag extends AnalyticsTagSupport {
  @Override
  String tagName() {
    return "<analytics:reset>";
  }

  @Override
  public void doTag() throws JspException {
    analytics().reset();
  }
}
