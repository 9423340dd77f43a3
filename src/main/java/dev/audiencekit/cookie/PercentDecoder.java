package dev.audiencekit.cookie;

/**
 * Strict {@code %XX} decoding with UTF-8, as JavaScript's {@code decodeURIComponent} does for each run
 * of escapes: overlong forms, encoded surrogates, code points above U+10FFFF and truncated sequences
 * are errors. Unlike {@code java.net.URLDecoder}, {@code +} is an ordinary character.
 */
final class PercentDecoder {
  private PercentDecoder() {}

  /** Decodes {@code s[start, end)}; {@code null} when an escape or its UTF-8 is malformed. */
  static String decode(String s, int start, int end) {
    StringBuilder out = new StringBuilder(end - start);
    int i = start;
    while (i < end) {
      char c = s.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      int b0 = escapedByte(s, i, end);
      if (b0 < 0) {
        return null;
      }
      i += 3;
      if (b0 < 0x80) {
        out.append((char) b0);
        continue;
      }
      int extra;
      int cp;
      int min;
      if ((b0 & 0xe0) == 0xc0) {
        extra = 1;
        cp = b0 & 0x1f;
        min = 0x80;
      } else if ((b0 & 0xf0) == 0xe0) {
        extra = 2;
        cp = b0 & 0x0f;
        min = 0x800;
      } else if ((b0 & 0xf8) == 0xf0) {
        extra = 3;
        cp = b0 & 0x07;
        min = 0x10000;
      } else {
        return null;
      }
      for (int k = 0; k < extra; k++) {
        int b = i < end && s.charAt(i) == '%' ? escapedByte(s, i, end) : -1;
        if (b < 0 || (b & 0xc0) != 0x80) {
          return null;
        }
        cp = (cp << 6) | (b & 0x3f);
        i += 3;
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return null;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  private static int escapedByte(String s, int i, int end) {
    if (i + 2 >= end) {
      return -1;
    }
    int hi = Character.digit(s.charAt(i + 1), 16);
    int lo = Character.digit(s.charAt(i + 2), 16);
    if (hi < 0 || lo < 0 || s.charAt(i + 1) > 'f' || s.charAt(i + 2) > 'f') {
      return -1;
    }
    return (hi << 4) | lo;
  }
}
