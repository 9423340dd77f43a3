package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;
import jakarta.servlet.jsp.tagext.JspTag;

/** Shared by {@code <analytics:property>} and {@code <analytics:trait>}: a name and a value for the enclosing tag. */
abstract class NamedValueTagSupport extends AnalyticsTagSupport {
  private String name;
  private Object value;

  public void setName(String name) {
    this.name = name;
  }

  /** Any JSON-representable value: String, Number, Boolean, null, Map, Collection, array, java.time. */
  public void setValue(Object value) {
    this.value = value;
  }

  String name() throws JspException {
    if (name == null || name.isEmpty()) {
      throw new JspException(tagName() + ": name must not be empty");
    }
    return name;
  }

  Object value() {
    return value;
  }

  /** The nearest enclosing tag implementing {@code type}, or a JspException that says where the tag belongs. */
  <T> T enclosing(Class<T> type, String allowedParents) throws JspException {
    JspTag parent = findAncestorWithClass(this, type);
    if (parent == null) {
      throw new JspException(tagName() + " must be nested in " + allowedParents);
    }
    return type.cast(parent);
  }
}
