package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.Options;
import java.util.Map;

/**
 * {@code <analytics:track event="Product Added"><analytics:property name="sku" value="${sku}"/></analytics:track>}:
 * a track event. Renders nothing.
 */
public class TrackTag extends EventTagSupport {
  private String event;

  public void setEvent(String event) {
    this.event = event;
  }

  @Override
  String tagName() {
    return "<analytics:track>";
  }

  @Override
  void send(AnalyticsContext analytics, Map<String, Object> properties, Options options) {
    analytics.track(event, properties, options);
  }
}
