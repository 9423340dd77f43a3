package dev.audiencekit.tags;

/** A tag that collects the {@code <analytics:property>} tags nested in it. */
interface PropertyCollector {
  /** Adds one property; a later value for the same name replaces the earlier one. */
  void addProperty(String name, Object value);
}
