package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.Options;
import java.util.Map;

/**
 * {@code <analytics:page category="Shop" name="Product" title="Red Mug"/>}: a page event. The page's
 * path, url, search and referrer come from the request; {@code title} becomes the page property
 * {@code title} (and {@code context.page.title}), over a {@code title} in the properties.
 * Renders nothing.
 */
public class PageTag extends EventTagSupport {
  private String category;
  private String name;
  private String title;

  public void setCategory(String category) {
    this.category = category;
  }

  public void setName(String name) {
    this.name = name;
  }

  public void setTitle(String title) {
    this.title = title;
  }

  @Override
  String tagName() {
    return "<analytics:page>";
  }

  @Override
  void send(AnalyticsContext analytics, Map<String, Object> properties, Options options) {
    if (title != null) {
      properties.put("title", title);
    }
    analytics.page(emptyToNull(category), emptyToNull(name), properties, options);
  }

  static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
