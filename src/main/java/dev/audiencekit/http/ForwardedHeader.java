package dev.audiencekit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RFC 7239 {@code Forwarded} parsing: {@code for=192.0.2.60;proto=https;host=example.com, for="[2001:db8::17]:4711"}.
 * Tolerant: a malformed element is kept with its fields null, so that it stops the walk through the
 * proxy chain rather than letting the client skip it. Only the right-most {@link #MAX_ELEMENTS}
 * elements are kept (the caller bounds the text).
 */
final class ForwardedHeader {
  static final int MAX_ELEMENTS = 32;

  /** One hop; any field may be null (absent, malformed, {@code unknown} or obfuscated). */
  record Element(String forAddress, String proto, String host) {}

  private ForwardedHeader() {}

  /** The elements of all header values, in order, left (client side) to right (our side). */
  static List<Element> parse(List<String> values) {
    List<Element> out = new ArrayList<>();
    for (String value : values) {
      parseInto(value, out);
    }
    return out;
  }

  private static void parseInto(String s, List<Element> out) {
    int n = s.length();
    int i = 0;
    String forValue = null;
    String proto = null;
    String host = null;
    boolean broken = false;
    while (i <= n) {
      // one pair: name=value
      int nameStart = skipSpace(s, i);
      int j = nameStart;
      while (j < n && s.charAt(j) != '=' && s.charAt(j) != ';' && s.charAt(j) != ',') {
        j++;
      }
      String name = s.substring(nameStart, j).trim().toLowerCase(Locale.ROOT);
      String value = null;
      if (j < n && s.charAt(j) == '=') {
        j++;
        if (j < n && s.charAt(j) == '"') {
          StringBuilder sb = new StringBuilder();
          j++;
          boolean closed = false;
          while (j < n) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
              sb.append(s.charAt(j + 1));
              j += 2;
            } else if (c == '"') {
              closed = true;
              j++;
              break;
            } else {
              sb.append(c);
              j++;
            }
          }
          value = closed ? sb.toString() : null;
          broken |= !closed;
          j = skipSpace(s, j);
        } else {
          int valueStart = j;
          while (j < n && s.charAt(j) != ';' && s.charAt(j) != ',') {
            j++;
          }
          value = s.substring(valueStart, j).trim();
        }
      } else if (!name.isEmpty()) {
        broken = true;
      }
      if (value != null) {
        switch (name) {
          case "for": forValue = value; break;
          case "proto": proto = value; break;
          case "host": host = value; break;
          default: break;
        }
      }
      char sep = j < n ? s.charAt(j) : ',';
      if (sep != ';' && sep != ',') {
        broken = true; // text after a quoted value: skip to the next separator
        while (j < n && s.charAt(j) != ';' && s.charAt(j) != ',') {
          j++;
        }
        sep = j < n ? s.charAt(j) : ',';
      }
      if (sep == ',') {
        if (!(forValue == null && proto == null && host == null && !broken && name.isEmpty())) {
          out.add(broken ? new Element(null, null, null) : new Element(forValue, proto, host));
          if (out.size() > MAX_ELEMENTS) {
            out.remove(0); // the right-most hops are the ones that can be trusted
          }
        }
        forValue = null;
        proto = null;
        host = null;
        broken = false;
      }
      i = j + 1;
    }
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
