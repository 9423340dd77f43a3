package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.tagext.JspFragment;
import java.io.IOException;

/**
 * {@code <analytics:ready>…</analytics:ready>} renders its body once the visitor's context exists, as
 * {@code analytics.ready(callback)} does in the browser. On the server the context is ready as soon as
 * the filter has run, so the body is rendered in place; outside the filter the tag fails.
 */
public class ReadyTag extends AnalyticsTagSupport {
  @Override
  String tagName() {
    return "<analytics:ready>";
  }

  @Override
  public void doTag() throws JspException, IOException {
    JspFragment body = getJspBody();
    Exception[] failure = new Exception[1];
    analytics().ready(() -> {
      if (body != null) {
        try {
          body.invoke(null);
        } catch (JspException | IOException e) {
          failure[0] = e;
        }
      }
    });
    if (failure[0] instanceof JspException e) {
      throw e;
    }
    if (failure[0] instanceof IOException e) {
      throw e;
    }
  }
}
