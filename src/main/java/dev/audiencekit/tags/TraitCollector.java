package dev.audiencekit.tags;

/** A tag that collects the {@code <analytics:trait>} tags nested in it. */
interface TraitCollector {
  /** Adds one trait; a later value for the same name replaces the earlier one. */
  void addTrait(String name, Object value);
}
