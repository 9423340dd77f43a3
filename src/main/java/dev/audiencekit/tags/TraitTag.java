package dev.audiencekit.tags;

import jakarta.servlet.jsp.JspException;

/**
 * {@code <analytics:trait name="email" value="${user.email}"/>}: one trait of the enclosing tag: a user
 * trait in {@code <analytics:identify>}, a group trait in {@code <analytics:group>}, and a context trait
 * of that one event ({@code context.traits}, not cached) in {@code <analytics:page>} and
 * {@code <analytics:track>}. Renders nothing.
 */
public class TraitTag extends NamedValueTagSupport {
  @Override
  String tagName() {
    return "<analytics:trait>";
  }

  @Override
  public void doTag() throws JspException {
    enclosing(TraitCollector.class,
        "<analytics:identify>, <analytics:group>, <analytics:page> or <analytics:track>").addTrait(name(), value());
  }
}
