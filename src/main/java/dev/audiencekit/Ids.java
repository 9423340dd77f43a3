package dev.audiencekit;

/** Validation of ids given through the API (SPEC §6). */
final class Ids {
  static final int MAX_LENGTH = 256;

  private Ids() {}

  /**
   * Checks an id: 1 to 256 characters, no control characters.
   *
   * @throws IllegalArgumentException naming {@code argument}
   */
  static String require(String argument, String value) {
    if (value == null) {
      throw new IllegalArgumentException(argument + " must not be null");
    }
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(argument + " " + problem);
    }
    return value;
  }

  /** Like {@link #require} but {@code null} passes. */
  static String optional(String argument, String value) {
    return value == null ? null : require(argument, value);
  }

  /** What is wrong with an id, or {@code null} when it is acceptable. */
  static String problem(String value) {
    if (value.isEmpty()) {
      return "must not be empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        return "contains the control character U+" + String.format("%04X", (int) c) + " at index " + i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return "contains an unpaired surrogate at index " + i;
        }
      }
    }
    return null;
  }
}
