package dev.audiencekit.http;

import dev.audiencekit.config.Cidr;

/**
 * IP address literals: fast parsing (no regex, never DNS), canonical text (dotted quad; RFC 5952 for
 * IPv6) and truncation for {@code ip=truncate} and fingerprints.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /**
   * The bytes of an IPv4 or IPv6 literal (brackets and an IPv6 zone accepted; IPv4-mapped IPv6
   * gives 4 bytes), or {@code null} when the text is not one.
   */
  public static byte[] parse(String text) {
    return Cidr.parseLiteral(text);
  }

  /** Canonical text: {@code 192.0.2.1}, or RFC 5952 IPv6 such as {@code 2001:db8::1}. */
  public static String format(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
    }
    if (address.length != 16) {
      throw new IllegalArgumentException("not an IP address: " + address.length + " bytes");
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  /**
   * {@code context.ip} under {@code ip=truncate}: the last IPv4 octet and the last 80 bits of IPv6
   * zeroed ({@code 203.0.113.77} → {@code 203.0.113.0}, {@code 2001:db8:1:2::5} → {@code 2001:db8:1::}).
   * Returns {@code null} when the text is not an IP address.
   */
  public static String truncate(String ip) {
    return mask(ip, 24, 48);
  }

  /** Keeps the first {@code ipv4Prefix} / {@code ipv6Prefix} bits; {@code null} when not an IP address. */
  public static String mask(String ip, int ipv4Prefix, int ipv6Prefix) {
    byte[] bytes = parse(ip);
    if (bytes == null) {
      return null;
    }
    return format(Cidr.mask(bytes, bytes.length == 4 ? ipv4Prefix : ipv6Prefix));
  }
}
