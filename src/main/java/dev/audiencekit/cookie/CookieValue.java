package dev.audiencekit.cookie;

/**
 * One identity cookie value as analytics.js 2.x reads it, and the decoder that produces it.
 *
 * <p>{@link #decode(String)} follows SPEC §4 (js-cookie's reader followed by analytics.js's
 * {@code JSON.parse(value) ?? null} with raw-text fallback):
 *
 * <ol>
 *   <li>a value wrapped in literal double quotes ({@code "abc"}) is unwrapped;
 *   <li>{@code %XX} escapes are decoded as UTF-8; a {@code +} stays a {@code +}. Invalid UTF-8 (for
 *       example {@code %E0%A4}) makes the cookie {@link State#INVALID}, as js-cookie skips it. A
 *       {@code %} that is not followed by two hex digits is also treated as a malformed escape and
 *       makes the cookie invalid (js-cookie would keep it literally; no analytics.js writer
 *       produces it, and SPEC §4 asks for a malformed escape to make the cookie absent);
 *   <li>the text is read as JSON when it is valid JSON: a string gives that string, a number its
 *       JavaScript decimal text ({@code 1234} → {@code "1234"}, {@code 1e3} → {@code "1000"}),
 *       {@code null} gives {@link State#ABSENT}; booleans, objects and arrays are not ids and give
 *       {@link State#INVALID}; text that is not valid JSON is used as it is;
 *   <li>an empty result is {@link State#ABSENT}; a result over 256 characters, or containing a
 *       control character or an unpaired surrogate (which no cookie writer can encode), is
 *       {@link State#INVALID}.
 * </ol>
 *
 * <p>{@code INVALID} means "absent, and worth counting": the caller treats it as a missing cookie.
 * Decoding never throws, allocates nothing for the common case of a plain UUID, and is bounded by
 * {@link #MAX_RAW_LENGTH}.
 */
public final class CookieValue {
  /** Longest id accepted, in UTF-16 characters (SPEC §6). */
  public static final int MAX_ID_LENGTH = 256;
  /** Raw values longer than this are invalid without further work (browsers cap a cookie at 4096 bytes). */
  public static final int MAX_RAW_LENGTH = 4096;

  /** Whether a cookie gave an id. */
  public enum State {
    /** A usable id: {@link #value()} is not null. */
    PRESENT,
    /** No cookie, an empty value or JSON {@code null}. */
    ABSENT,
    /** A value was sent but cannot be an id (malformed escape, too long, control characters, not a string). */
    INVALID
  }

  /** The result for a missing or empty cookie. */
  public static final CookieValue ABSENT = new CookieValue(State.ABSENT, null);
  /** The result for a cookie that cannot be an id. */
  public static final CookieValue INVALID = new CookieValue(State.INVALID, null);

  private final State state;
  private final String value;

  private CookieValue(State state, String value) {
    this.state = state;
    this.value = value;
  }

  /** A present value; the caller has already checked it with {@link #isValidId}. */
  static CookieValue present(String value) {
    return new CookieValue(State.PRESENT, value);
  }

  /** Decodes a raw cookie value ({@code null} = no such cookie). Never throws. */
  public static CookieValue decode(String raw) {
    String text = decodeText(raw);
    if (text == null) {
      return raw == null || raw.isEmpty() || isWrappedEmpty(raw) ? ABSENT : INVALID;
    }
    if (text.isEmpty()) {
      return ABSENT;
    }
    if (hasControl(text)) {
      return INVALID;
    }
    return JsonText.interpret(text);
  }

  private static boolean isWrappedEmpty(String raw) {
    return raw.length() == 2 && raw.charAt(0) == '"' && raw.charAt(1) == '"';
  }

  /**
   * The first two decoding steps alone (quote unwrapping and {@code %XX} decoding), for cookies that
   * hold JSON documents such as the legacy {@code ajs_user}. Returns {@code null} for a missing,
   * empty, over-long or malformed value.
   */
  public static String decodeText(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_RAW_LENGTH) {
      return null;
    }
    int start = 0;
    int end = raw.length();
    if (end >= 2 && raw.charAt(0) == '"' && raw.charAt(end - 1) == '"') {
      start = 1;
      end--;
    }
    if (start == end) {
      return null;
    }
    int percent = raw.indexOf('%', start);
    if (percent < 0 || percent >= end) {
      return start == 0 && end == raw.length() ? raw : raw.substring(start, end);
    }
    return PercentDecoder.decode(raw, start, end);
  }

  /** True for 1 to 256 characters without control characters or unpaired surrogates. */
  public static boolean isValidId(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_ID_LENGTH) {
      return false;
    }
    return !hasControl(s) && !hasUnpairedSurrogate(s);
  }

  static boolean hasControl(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
    }
    return false;
  }

  static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  public State state() {
    return state;
  }

  public boolean isPresent() {
    return state == State.PRESENT;
  }

  public boolean isInvalid() {
    return state == State.INVALID;
  }

  /** The id, or {@code null} unless {@link #isPresent()}. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CookieValue
        && ((CookieValue) o).state == state
        && java.util.Objects.equals(((CookieValue) o).value, value);
  }

  @Override
  public int hashCode() {
    return state.hashCode() * 31 + (value == null ? 0 : value.hashCode());
  }

  @Override
  public String toString() {
    return state == State.PRESENT ? "PRESENT[" + value + "]" : state.name();
  }
}
