package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.Options;
import jakarta.servlet.jsp.JspException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared by {@code <analytics:page>} and {@code <analytics:track>}: the {@code properties} map plus
 * nested {@code <analytics:property>} tags (nested ones win), nested {@code <analytics:trait>} tags as
 * the context traits of this one event, and the {@code anonymousId} and {@code ip} options.
 */
abstract class EventTagSupport extends AnalyticsTagSupport implements PropertyCollector, TraitCollector {
  private Map<String, ?> properties;
  private String anonymousId;
  private String ip;

  /** Collected from the body while {@link #doTag} runs; null outside it. */
  private Map<String, Object> nestedProperties;
  private Map<String, Object> nestedTraits;

  public void setProperties(Map<String, ?> properties) {
    this.properties = properties;
  }

  public void setAnonymousId(String anonymousId) {
    this.anonymousId = anonymousId;
  }

  public void setIp(String ip) {
    this.ip = ip;
  }

  @Override
  public void addProperty(String name, Object value) {
    nestedProperties.put(name, value);
  }

  @Override
  public void addTrait(String name, Object value) {
    nestedTraits.put(name, value);
  }

  @Override
  public final void doTag() throws JspException, IOException {
    AnalyticsContext analytics = analytics();
    nestedProperties = new LinkedHashMap<>();
    nestedTraits = new LinkedHashMap<>();
    try {
      evaluateBodyForNestedTags();
      Map<String, Object> merged = merge(properties, nestedProperties);
      Map<String, Object> contextTraits = nestedTraits;
      call(() -> send(analytics, merged, EventTagSupport.options(anonymousId, ip, contextTraits)));
    } finally {
      nestedProperties = null;
      nestedTraits = null;
    }
  }

  /** Sends the event with the merged properties and the options. */
  abstract void send(AnalyticsContext analytics, Map<String, Object> properties, Options options);

  /** The options of one event: anonymousId override, IP, context traits; empty values are left out. */
  static Options options(String anonymousId, String ip, Map<String, Object> contextTraits) {
    Options options = Options.create();
    if (anonymousId != null && !anonymousId.isEmpty()) {
      options = options.anonymousId(anonymousId);
    }
    if (ip != null) {
      options = options.ip(ip);
    }
    if (contextTraits != null && !contextTraits.isEmpty()) {
      options = options.contextTraits(contextTraits);
    }
    return options;
  }

  /** {@code base} then {@code nested} (which wins), in a new insertion-ordered map. */
  static Map<String, Object> merge(Map<String, ?> base, Map<String, Object> nested) {
    Map<String, Object> merged = new LinkedHashMap<>();
    if (base != null) {
      base.forEach((k, v) -> merged.put(String.valueOf(k), v));
    }
    if (nested != null) {
      merged.putAll(nested);
    }
    return merged;
  }
}
