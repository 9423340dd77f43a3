package dev.audiencekit.cookie;

import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The JSON part of analytics.js's cookie read ({@code JSON.parse(text) ?? null}, raw text when parsing
 * throws), done without building a JSON tree on the common paths, plus {@code JSON.stringify} of a
 * string for the writer.
 */
final class JsonText {
  /**
   * Looked up once: {@code Json.createX} calls {@code JsonProvider.provider()}, a {@code ServiceLoader}
   * scan of the class path, on every call (tens of KB and microseconds per event in a web application).
   */
  private static final JsonProvider JSON = JsonProvider.provider();
  private JsonText() {}

  /**
   * Reads decoded cookie text (non-empty, no control characters) as analytics.js would and turns it
   * into an id: JSON string → the string, JSON number → its JavaScript text, {@code null} → absent,
   * other JSON → invalid, not JSON → the text itself.
   */
  static CookieValue interpret(String text) {
    int n = text.length();
    int i = skipWhitespace(text, 0);
    if (i == n) {
      return raw(text); // only spaces: JSON.parse throws, the raw text is used
    }
    char c = text.charAt(i);
    if (c == '"') {
      return string(text, i);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number(text, i);
    }
    if (c == 'n' || c == 't' || c == 'f') {
      String word = c == 'n' ? "null" : c == 't' ? "true" : "false";
      if (text.startsWith(word, i) && skipWhitespace(text, i + word.length()) == n) {
        return c == 'n' ? CookieValue.ABSENT : CookieValue.INVALID;
      }
      return raw(text);
    }
    if (c == '{' || c == '[') {
      // Valid or not, a structure longer than an id can be is never an id.
      return text.length() > CookieValue.MAX_ID_LENGTH || isJson(text) ? CookieValue.INVALID : raw(text);
    }
    return raw(text);
  }

  private static CookieValue raw(String text) {
    return CookieValue.isValidId(text) ? CookieValue.present(text) : CookieValue.INVALID;
  }

  private static int skipWhitespace(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  private static CookieValue string(String text, int open) {
    int n = text.length();
    StringBuilder out = null;
    int runStart = open + 1;
    int i = open + 1;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"') {
        if (skipWhitespace(text, i + 1) != n) {
          return raw(text);
        }
        String value = out == null ? text.substring(open + 1, i) : out.append(text, runStart, i).toString();
        if (value.isEmpty()) {
          return CookieValue.ABSENT;
        }
        return CookieValue.isValidId(value) ? CookieValue.present(value) : CookieValue.INVALID;
      }
      if (c < 0x20) {
        return raw(text);
      }
      if (c != '\\') {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, runStart, i);
      if (i + 1 >= n) {
        return raw(text);
      }
      char e = text.charAt(i + 1);
      switch (e) {
        case '"': case '\\': case '/': out.append(e); i += 2; break;
        case 'b': out.append('\b'); i += 2; break;
        case 'f': out.append('\f'); i += 2; break;
        case 'n': out.append('\n'); i += 2; break;
        case 'r': out.append('\r'); i += 2; break;
        case 't': out.append('\t'); i += 2; break;
        case 'u':
          if (i + 6 > n) {
            return raw(text);
          }
          int code = 0;
          for (int k = i + 2; k < i + 6; k++) {
            int d = hexDigit(text.charAt(k));
            if (d < 0) {
              return raw(text);
            }
            code = (code << 4) | d;
          }
          out.append((char) code);
          i += 6;
          break;
        default:
          return raw(text);
      }
      runStart = i;
    }
    return raw(text); // unterminated string
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static CookieValue number(String text, int start) {
    int n = text.length();
    int i = start;
    if (text.charAt(i) == '-') {
      i++;
    }
    int intStart = i;
    if (i < n && text.charAt(i) == '0') {
      i++;
    } else {
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
    }
    if (i == intStart) {
      return raw(text);
    }
    int intEnd = i;
    boolean plainInteger = true;
    if (i < n && text.charAt(i) == '.') {
      plainInteger = false;
      int fracStart = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == fracStart) {
        return raw(text);
      }
    }
    if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
      plainInteger = false;
      i++;
      if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
        i++;
      }
      int expStart = i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == expStart) {
        return raw(text);
      }
    }
    int numberEnd = i;
    if (skipWhitespace(text, i) != n) {
      return raw(text); // e.g. a UUID that starts with digits: not JSON
    }
    if (plainInteger && intEnd - intStart <= 15) {
      // Exactly representable: JavaScript prints the same digits; "-0" prints as "0".
      boolean negativeZero = text.charAt(start) == '-' && intEnd - intStart == 1 && text.charAt(intStart) == '0';
      String digits = negativeZero ? "0" : text.substring(start, numberEnd);
      return CookieValue.present(digits);
    }
    String js = jsNumberToString(Double.parseDouble(text.substring(start, numberEnd)));
    return CookieValue.present(js);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** ECMAScript {@code Number::toString(x)}: the shortest digits that read back as {@code x}. */
  static String jsNumberToString(double x) {
    if (Double.isNaN(x)) {
      return "NaN";
    }
    if (x == 0) {
      return "0";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "Infinity" : "-Infinity";
    }
    StringBuilder out = new StringBuilder(24);
    if (x < 0) {
      out.append('-');
      x = -x;
    }
    BigDecimal exact = new BigDecimal(x);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal rounded = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == x) {
        shortest = rounded;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String s = shortest.unscaledValue().toString();
    int k = s.length();
    int e = k - shortest.scale(); // x = 0.s × 10^e, ECMAScript's n
    if (k <= e && e <= 21) {
      out.append(s);
      for (int z = 0; z < e - k; z++) {
        out.append('0');
      }
    } else if (0 < e && e <= 21) {
      out.append(s, 0, e).append('.').append(s, e, k);
    } else if (-6 < e && e <= 0) {
      out.append("0.");
      for (int z = 0; z < -e; z++) {
        out.append('0');
      }
      out.append(s);
    } else {
      out.append(s.charAt(0));
      if (k > 1) {
        out.append('.').append(s, 1, k);
      }
      int exp = e - 1;
      out.append('e').append(exp < 0 ? '-' : '+').append(Math.abs(exp));
    }
    return out.toString();
  }

  private static boolean isJson(String text) {
    return parse(text) != null;
  }

  /**
   * Parses a whole JSON text as {@code JSON.parse} does (trailing text is an error), or returns
   * {@code null}. Never throws.
   */
  static JsonValue parse(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      parser.next();
      JsonValue value = parser.getValue();
      return parser.hasNext() ? null : value;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code JSON.stringify(s)} for a string, escaping as JavaScript does (lower-case {@code \}{@code u00xx}). */
  static String stringify(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    out.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
