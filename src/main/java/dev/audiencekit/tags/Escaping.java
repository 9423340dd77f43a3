package dev.audiencekit.tags;

/**
 * Escaping of values written into a page, one method per output context. Pure functions: no state,
 * no page context, so they are tested directly.
 */
public final class Escaping {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Escaping() {}

  /**
   * Escapes text for an HTML element body or a quoted attribute value: {@code & < > " '} become
   * character references. {@code null} becomes the empty string.
   */
  public static String html(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&#34;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (replacement != null) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(replacement);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Escapes text for the inside of a JavaScript string literal (single or double quoted) that sits in
   * an HTML {@code <script>} element. Quotes (also the backquote), backslash, {@code < > &}, the line
   * terminators U+2028 and U+2029 and every control character (C0, DEL, C1) become a {@code \}{@code uXXXX}
   * escape, so the value can neither end the string, nor the script element ({@code </script>}), nor
   * open an HTML comment ({@code <!--}). Everything else, non-ASCII included, is kept as is.
   */
  public static String jsString(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (needsJsEscape(c)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 32).append(text, 0, i);
        }
        out.append('\\').append('u')
            .append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** A JavaScript expression for {@code text}: a double-quoted, escaped string literal, or {@code null}. */
  public static String jsLiteral(String text) {
    return text == null ? "null" : "\"" + jsString(text) + "\"";
  }

  private static boolean needsJsEscape(char c) {
    return Character.isISOControl(c) || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>'
        || c == '&' || c == '`' || c == '\u2028' || c == '\u2029';
  }
}
