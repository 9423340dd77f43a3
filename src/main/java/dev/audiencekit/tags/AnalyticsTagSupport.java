package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.jsp.JspContext;
import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.PageContext;
import jakarta.servlet.jsp.tagext.JspFragment;
import jakarta.servlet.jsp.tagext.SimpleTagSupport;
import java.io.IOException;
import java.io.Writer;

/**
 * Base of the audiencekit tags: finds the request's {@link AnalyticsContext} and turns the API's
 * argument errors into {@link JspException}s that name the tag. A tag instance keeps nothing but its
 * attributes (the container may reuse it, or not).
 */
abstract class AnalyticsTagSupport extends SimpleTagSupport {

  /** The tag as written in a page, e.g. {@code <analytics:track>}, for error messages. */
  abstract String tagName();

  /**
   * The context of the current request.
   *
   * @throws JspException when the audiencekit filter did not process this request
   */
  final AnalyticsContext analytics() throws JspException {
    return analytics(getJspContext(), tagName());
  }

  static AnalyticsContext analytics(JspContext jspContext, String tagName) throws JspException {
    if (!(jspContext instanceof PageContext page)) {
      throw new JspException(tagName + " needs a JSP page context of a request");
    }
    try {
      return AnalyticsContext.get(page.getRequest());
    } catch (IllegalStateException e) {
      throw new JspException(tagName + " was used in a request that the audiencekit filter did not process. "
          + e.getMessage(), e);
    }
  }

  /** Runs {@code action}, reporting an invalid id, traits or properties as a JspException naming the tag. */
  final void call(TagAction action) throws JspException {
    try {
      action.run();
    } catch (IllegalArgumentException e) {
      throw new JspException(tagName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Evaluates the body for its nested tags; text in the body is not written to the page (the body of
   * an event tag holds only {@code <analytics:property>} and {@code <analytics:trait>}).
   */
  final void evaluateBodyForNestedTags() throws JspException, IOException {
    JspFragment body = getJspBody();
    if (body != null) {
      body.invoke(Writer.nullWriter());
    }
  }

  /** An action on the context that may reject its arguments. */
  @FunctionalInterface
  interface TagAction {
    void run() throws JspException;
  }
}
