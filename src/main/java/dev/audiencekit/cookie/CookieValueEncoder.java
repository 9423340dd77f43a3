package dev.audiencekit.cookie;

import dev.audiencekit.config.Settings.CookieFormat;

/**
 * Encodes an id into a cookie value the way the browser library writes it (SPEC §4).
 *
 * <ul>
 *   <li>{@link CookieFormat#NEXT} (analytics.js 2.x): byte-identical to js-cookie 3's writer,
 *       {@code encodeURIComponent(value)} with {@code # $ & + / : < = > ? @ [ ] ^ ` { | }} put back
 *       unescaped. A UUID, {@code user@x.com} or {@code a+b} are written as they are; a space becomes
 *       {@code %20}, {@code "} {@code %22}, {@code ,} {@code %2C}, {@code ;} {@code %3B}, {@code %}
 *       {@code %25}, {@code \} {@code %5C}, and other characters their UTF-8 escapes.
 *       <p><b>Ids that look like JSON.</b> analytics.js reads a cookie back through
 *       {@code JSON.parse}, so a raw {@code null}, {@code true}, {@code 1e3}, {@code " 5"} or
 *       {@code "x"} (with its quotes) would not read back as written. For exactly those ids (the
 *       ones {@link CookieValue#decode} would not return unchanged) the writer stores the JSON
 *       string instead, still through js-cookie's encoding: the id {@code null} is written as
 *       {@code %22null%22}, {@code "x"} as {@code %22%5C%22x%5C%22%22}. This is what the browser
 *       library itself writes for a JSON text, and both this reader and analytics.js read it back
 *       as the original id. An id that reads back as itself, such as {@code 1234}, stays raw.
 *   <li>{@link CookieFormat#CLASSIC} (analytics.js 1.x): {@code encodeURIComponent(JSON.stringify(value))},
 *       e.g. {@code %226f1c…%22}.
 * </ul>
 *
 * <p>Ids must be valid (1 to 256 characters, no control characters). Unpaired surrogates cannot be
 * represented in UTF-8 ({@code encodeURIComponent} throws a {@code URIError} for them) and are
 * rejected as well. The output only contains RFC 6265 cookie-octets.
 */
public final class CookieValueEncoder {
  /** Characters {@code encodeURIComponent} leaves alone: {@code A-Z a-z 0-9 - _ . ! ~ * ' ( )}. */
  private static final boolean[] URI_COMPONENT = new boolean[128];
  /** Those plus the ones js-cookie un-escapes again. */
  private static final boolean[] JS_COOKIE = new boolean[128];
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      URI_COMPONENT[c] = true;
      URI_COMPONENT[c + ('a' - 'A')] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      URI_COMPONENT[c] = true;
    }
    for (char c : "-_.!~*'()".toCharArray()) {
      URI_COMPONENT[c] = true;
    }
    System.arraycopy(URI_COMPONENT, 0, JS_COOKIE, 0, 128);
    for (char c : "#$&+/:<=>?@[]^`{|}".toCharArray()) {
      JS_COOKIE[c] = true;
    }
  }

  private CookieValueEncoder() {}

  /**
   * Encodes a valid id in the given format.
   *
   * @throws IllegalArgumentException when {@code id} is not a valid id
   */
  public static String encode(String id, CookieFormat format) {
    return format == CookieFormat.CLASSIC ? encodeClassic(id) : encodeNext(id);
  }

  /** The analytics.js 2.x form (see the class comment for ids that look like JSON). */
  public static String encodeNext(String id) {
    requireValid(id);
    CookieValue readBack = JsonText.interpret(id);
    String text = readBack.isPresent() && readBack.value().equals(id) ? id : JsonText.stringify(id);
    return escape(text, JS_COOKIE);
  }

  /** The analytics.js 1.x form: {@code encodeURIComponent(JSON.stringify(id))}. */
  public static String encodeClassic(String id) {
    requireValid(id);
    return escape(JsonText.stringify(id), URI_COMPONENT);
  }

  /** js-cookie 3's value writer applied to any text (surrogates must be paired). */
  static String jsCookie(String text) {
    return escape(text, JS_COOKIE);
  }

  /** JavaScript's {@code encodeURIComponent} (surrogates must be paired). */
  static String encodeUriComponent(String text) {
    return escape(text, URI_COMPONENT);
  }

  private static void requireValid(String id) {
    if (!CookieValue.isValidId(id)) {
      throw new IllegalArgumentException(id == null
          ? "id must not be null"
          : "id must be 1 to 256 characters without control characters or unpaired surrogates");
    }
  }

  private static String escape(String text, boolean[] keep) {
    int n = text.length();
    int first = 0;
    while (first < n) {
      char c = text.charAt(first);
      if (c >= 128 || !keep[c]) {
        break;
      }
      first++;
    }
    if (first == n) {
      return text; // nothing to escape: no allocation
    }
    StringBuilder out = new StringBuilder(n + 16);
    out.append(text, 0, first);
    for (int i = first; i < n; i++) {
      char c = text.charAt(i);
      if (c < 128) {
        if (keep[c]) {
          out.append(c);
        } else {
          appendByte(out, c);
        }
        continue;
      }
      int cp = c;
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        cp = Character.toCodePoint(c, text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i);
      }
      if (cp < 0x800) {
        appendByte(out, 0xc0 | (cp >> 6));
        appendByte(out, 0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        appendByte(out, 0xe0 | (cp >> 12));
        appendByte(out, 0x80 | ((cp >> 6) & 0x3f));
        appendByte(out, 0x80 | (cp & 0x3f));
      } else {
        appendByte(out, 0xf0 | (cp >> 18));
        appendByte(out, 0x80 | ((cp >> 12) & 0x3f));
        appendByte(out, 0x80 | ((cp >> 6) & 0x3f));
        appendByte(out, 0x80 | (cp & 0x3f));
      }
    }
    return out.toString();
  }

  private static void appendByte(StringBuilder out, int b) {
    out.append('%').append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
  }
}
