package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;

/**
 * {@code <analytics:property name="price" value="${product.price}"/>}: one property of the enclosing
 * {@code <analytics:page>} or {@code <analytics:track>}. Renders nothing.
 */
public class PropertyTag extends NamedValueTagSupport {
  @Override
  String tagName() {
    return "<analytics:property>";
  }

  @Override
  public void doTag() throws JspException {
    enclosing(PropertyCollector.class, "<analytics:page> or <analytics:track>").addProperty(name(), value());
  }
}
