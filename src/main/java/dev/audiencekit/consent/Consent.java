package dev.audiencekit.consent;

import dev.audiencekit.config.Settings;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A visitor's consent as Segment models it: {@code categoryPreferences}, a map of category name to
 * granted ({@code true}) or denied ({@code false}). A visitor has <em>decided</em> when there is at least
 * one category; a category that is absent is never granted.
 *
 * <p>An immutable value. Category names are 1 to {@value Settings#MAX_CATEGORY_LENGTH} characters
 * without {@code ,}, {@code =} or control characters, at most {@value #MAX_CATEGORIES} of them; the map
 * is kept in the natural order of the names, so two equal consents have the same JSON text.
 */
public final class Consent {
  /** Most categories one consent can hold. */
  public static final int MAX_CATEGORIES = 64;

  /** No decision: no category is known, none is granted. */
  public static final Consent UNDECIDED = new Consent(Collections.emptySortedMap());

  private final SortedMap<String, Boolean> categories;

  private Consent(SortedMap<String, Boolean> categories) {
    this.categories = categories;
  }

  /**
   * The consent with these category preferences; an empty map is {@link #UNDECIDED}.
   *
   * @throws IllegalArgumentException naming the key when a name is not a category name or a value is
   *     null, or when there are more than {@value #MAX_CATEGORIES} categories
   */
  public static Consent of(Map<String, Boolean> categoryPreferences) {
    if (categoryPreferences == null) {
      throw new IllegalArgumentException("categoryPreferences must not be null (an empty map means undecided)");
    }
    if (categoryPreferences.size() > MAX_CATEGORIES) {
      throw new IllegalArgumentException("categoryPreferences holds " + categoryPreferences.size()
          + " categories; at most " + MAX_CATEGORIES + " are accepted");
    }
    TreeMap<String, Boolean> sorted = new TreeMap<>();
    for (Map.Entry<String, Boolean> entry : categoryPreferences.entrySet()) {
      String name = entry.getKey();
      if (!Settings.isCategory(name)) {
        throw new IllegalArgumentException("categoryPreferences key '" + printable(name) + "' is not a category "
            + "name (1 to " + Settings.MAX_CATEGORY_LENGTH + " characters without , = or control characters)");
      }
      if (entry.getValue() == null) {
        throw new IllegalArgumentException("categoryPreferences[" + name + "] must be true or false, not null");
      }
      sorted.put(name, entry.getValue());
    }
    return sorted.isEmpty() ? UNDECIDED : new Consent(Collections.unmodifiableSortedMap(sorted));
  }

  /** The map behind a consent whose entries were already checked (by a source's parser). */
  static Consent ofChecked(TreeMap<String, Boolean> categories) {
    return categories.isEmpty() ? UNDECIDED : new Consent(Collections.unmodifiableSortedMap(categories));
  }

  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  /** Category name → granted, sorted by name; unmodifiable, empty when undecided. */
  public Map<String, Boolean> categoryPreferences() {
    return categories;
  }

  /** Whether the visitor has decided: at least one category is known. */
  public boolean isDecided() {
    return !categories.isEmpty();
  }

  /** Whether {@code category} is granted; an absent category is not. */
  public boolean granted(String category) {
    return Boolean.TRUE.equals(categories.get(category));
  }

  /** This consent with {@code category} denied, when the visitor has decided; else this consent. */
  Consent deny(String category) {
    if (!isDecided() || Boolean.FALSE.equals(categories.get(category))) {
      return this;
    }
    TreeMap<String, Boolean> copy = new TreeMap<>(categories);
    copy.put(category, Boolean.FALSE);
    return copy.size() > MAX_CATEGORIES ? this : new Consent(Collections.unmodifiableSortedMap(copy));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Consent consent && consent.categories.equals(categories);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(categories);
  }

  @Override
  public String toString() {
    return isDecided() ? "Consent" + categories : "Consent[undecided]";
  }
}
