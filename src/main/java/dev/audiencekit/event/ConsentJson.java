package dev.audiencekit.event;

import java.util.Map;

/**
 * The JSON text of a visitor's consent as Segment defines it: {@code categoryPreferences}, an object of
 * category name to boolean, inside {@code context.consent}.
 */
public final class ConsentJson {
  private ConsentJson() {}

  /** {@code {"Advertising":false,"Analytics":true}}, keys in the map's order. */
  public static String categoryPreferences(Map<String, Boolean> categoryPreferences) {
    StringBuilder out = new StringBuilder(16 + 24 * categoryPreferences.size());
    appendCategoryPreferences(out, categoryPreferences);
    return out.toString();
  }

  /** {@code {"categoryPreferences":{…}}}: the value of an event's {@code context.consent}. */
  public static String context(Map<String, Boolean> categoryPreferences) {
    StringBuilder out = new StringBuilder(40 + 24 * categoryPreferences.size());
    out.append("{\"categoryPreferences\":");
    appendCategoryPreferences(out, categoryPreferences);
    return out.append('}').toString();
  }

  private static void appendCategoryPreferences(StringBuilder out, Map<String, Boolean> categoryPreferences) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Boolean> entry : categoryPreferences.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      JsonStrings.append(out, entry.getKey());
      out.append(':').append(Boolean.TRUE.equals(entry.getValue()));
    }
    out.append('}');
  }
}
