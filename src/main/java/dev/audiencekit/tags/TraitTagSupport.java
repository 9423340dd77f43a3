package dev.audiencekit.tags;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.jsp.JspException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared part of {@code <analytics:identify>} and {@code <analytics:group>}: a {@code traits} map
 * attribute, nested {@code <analytics:trait>} tags (which win), and one call to the context with the
 * merged traits.
 */
abstract class TraitTagSupport extends AnalyticsTagSupport implements TraitCollector {
  private Map<String, ?> traits;

  /** Collected from the body while {@link #doTag} runs; null outside it. */
  private Map<String, Object> nestedTraits;

  public void setTraits(Map<String, ?> traits) {
    this.traits = traits;
  }

  @Override
  public void addTrait(String name, Object value) {
    nestedTraits.put(name, value);
  }

  /** Sends the call with the merged traits. */
  abstract void send(AnalyticsContext analytics, Map<String, Object> traits);

  @Override
  public void doTag() throws JspException, IOException {
    AnalyticsContext analytics = analytics();
    nestedTraits = new LinkedHashMap<>();
    try {
      evaluateBodyForNestedTags();
      Map<String, Object> merged = EventTagSupport.merge(traits, nestedTraits);
      call(() -> send(analytics, merged));
    } finally {
      nestedTraits = null;
    }
  }
}
