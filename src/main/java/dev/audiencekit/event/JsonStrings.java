package dev.audiencekit.event;

/** Writes JSON string literals (RFC 8259) into a {@code StringBuilder}. */
public final class JsonStrings {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonStrings() {}

  /** Appends {@code value} as a quoted, escaped JSON string. */
  public static void append(StringBuilder out, String value) {
    out.append('"');
    int start = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(value, start, i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
      start = i + 1;
    }
    out.append(value, start, length).append('"');
  }

  /** Appends {@code value} as a JSON string, or {@code null}. */
  public static void appendNullable(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
    } else {
      append(out, value);
    }
  }
}
