package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.PageContext;

/**
 * {@code <analytics:user var="visitor"/>} exposes the visitor's {@link dev.audiencekit.User} as the
 * page-scope attribute {@code visitor}, for EL such as {@code ${visitor.id}} and {@code ${visitor.traits.name}}
 * (print them with {@code <c:out>}, which escapes). Renders nothing.
 */
public class UserTag extends AnalyticsTagSupport {
  private String var;

  public void setVar(String var) {
    this.var = var;
  }

  @Override
  String tagName() {
    return "<analytics:user>";
  }

  @Override
  public void doTag() throws JspException {
    if (var == null || var.isEmpty()) {
      throw new JspException(tagName() + ": var must name a page attribute");
    }
    getJspContext().setAttribute(var, analytics().user(), PageContext.PAGE_SCOPE);
  }
}
