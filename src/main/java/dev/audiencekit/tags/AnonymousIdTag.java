package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.PageContext;
import java.io.IOException;

/**
 * {@code <analytics:anonymousId/>} prints the visitor's anonymousId, HTML-escaped;
 * {@code <analytics:anonymousId var="id"/>} stores it (unescaped) in the page-scope attribute {@code id}
 * instead. One is minted when the visitor has none (after a reset).
 */
public class AnonymousIdTag extends AnalyticsTagSupport {
  private String var;

  public void setVar(String var) {
    this.var = var;
  }

  @Override
  String tagName() {
    return "<analytics:anonymousId>";
  }

  @Override
  public void doTag() throws JspException, IOException {
    String anonymousId = analytics().user().anonymousId();
    if (var != null && !var.isEmpty()) {
      getJspContext().setAttribute(var, anonymousId, PageContext.PAGE_SCOPE);
    } else {
      getJspContext().getOut().write(render(anonymousId));
    }
  }

  /** What the tag prints for {@code anonymousId}. */
  static String render(String anonymousId) {
    return Escaping.html(anonymousId);
  }
}
