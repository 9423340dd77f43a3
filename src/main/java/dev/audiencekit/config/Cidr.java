package dev.audiencekit.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code ::1}; parsing never does DNS. */
public final class Cidr {
  private final byte[] network;
  private final int prefix;
  private final String text;

  private Cidr(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /**
   * Parses {@code address[/prefix]}.
   *
   * @throws IllegalArgumentException when the text is not a literal address block
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseLiteral(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a prefix length: " + text);
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix out of range: " + text);
      }
    }
    return new Cidr(mask(bytes, prefix), prefix, text);
  }

  /** True when {@code address} (a literal, possibly in brackets) lies in this block. */
  public boolean contains(String address) {
    byte[] bytes = parseLiteral(address);
    return bytes != null && contains(bytes);
  }

  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    for (int i = 0; i < network.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      if (((address[i] ^ network[i]) & (0xff << (8 - keep)) & 0xff) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Zeroes every bit after the first {@code prefix} bits (a copy). */
  public static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  /**
   * The bytes of an IPv4 or IPv6 literal, or {@code null} when the text is not one. Brackets around an
   * IPv6 literal and an IPv6 zone are accepted. Never performs a name lookup.
   */
  public static byte[] parseLiteral(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    String s = text;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    if (s.indexOf(':') >= 0) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
          return null;
        }
      }
    } else {
      // Dotted quad: four parts of 1 to 3 ASCII digits, each at most 255. Parsed by hand: this runs on
      // every request (fingerprint, trusted proxies), where a regex compiled per call cost ~4 KB.
      return parseDottedQuad(s);
    }
    try {
      // Only literals reach this point, so getByName does no lookup.
      byte[] bytes = InetAddress.getByName(s).getAddress();
      if (bytes.length == 16 && isIpv4Mapped(bytes)) {
        return java.util.Arrays.copyOfRange(bytes, 12, 16);
      }
      return bytes;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** {@code d.d.d.d} with 1 to 3 digits per part, each at most 255, or {@code null}. */
  private static byte[] parseDottedQuad(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0, n = s.length(); i <= n; i++) {
      char c = i < n ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return null;
        }
        value = value * 10 + (c - '0');
      } else if (c == '.' && digits > 0 && value <= 255 && part < 4) {
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return text;
  }
}
