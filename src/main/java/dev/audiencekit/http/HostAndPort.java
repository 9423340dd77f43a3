package dev.audiencekit.http;

import dev.audiencekit.config.Cidr;
import java.util.Locale;

/**
 * A syntactically valid {@code host[:port]} as found in {@code Host}, {@code X-Forwarded-Host} or
 * {@code Forwarded: host=}: a DNS name (letters, digits, {@code -}, {@code _}, dots), an IPv4 literal
 * or a bracketed IPv6 literal, and an optional port 1–65535. The host is lower-cased.
 *
 * @param host the host, IPv6 in brackets
 * @param port the port, or -1 when none was given
 */
record HostAndPort(String host, int port) {
  static final int MAX_LENGTH = 261;

  /** Parses the text, or returns {@code null} when it is not a valid host[:port]. */
  static HostAndPort parse(String text) {
    if (text == null) {
      return null;
    }
    String s = text.trim();
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      return null;
    }
    String host;
    String rest;
    if (s.charAt(0) == '[') {
      int close = s.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = s.substring(0, close + 1);
      byte[] bytes = Cidr.parseLiteral(host);
      if (bytes == null || host.indexOf('%') >= 0) {
        return null;
      }
      rest = s.substring(close + 1);
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      rest = colon < 0 ? "" : s.substring(colon);
      if (!isName(host)) {
        return null;
      }
    }
    int port = -1;
    if (!rest.isEmpty()) {
      if (rest.charAt(0) != ':' || rest.length() < 2 || rest.length() > 6) {
        return null;
      }
      port = 0;
      for (int i = 1; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (c < '0' || c > '9') {
          return null;
        }
        port = port * 10 + (c - '0');
      }
      if (port < 1 || port > 65535) {
        return null;
      }
    }
    return new HostAndPort(host.toLowerCase(Locale.ROOT), port);
  }

  private static boolean isName(String h) {
    if (h.isEmpty() || h.length() > 254) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return true; // a trailing dot (absolute name) is allowed
  }

  /** {@code host} or {@code host:port}, leaving out the port when it is the scheme's default. */
  String authority(String scheme) {
    boolean defaultPort = port < 0 || ("https".equals(scheme) ? port == 443 : port == 80);
    return defaultPort ? host : host + ':' + port;
  }
}
