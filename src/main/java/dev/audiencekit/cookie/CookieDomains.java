package dev.audiencekit.cookie;

import java.net.IDN;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the {@code Domain} attribute of the identity cookies from {@code cookie.domain} and the
 * host the client addressed (SPEC §3). {@code null} means a host-only cookie (no {@code Domain}).
 *
 * <ul>
 *   <li>{@code auto}: the registrable domain (eTLD+1) by the bundled Public Suffix List, ICANN and
 *       private sections, with wildcard and exception rules: {@code a.b.example.com} →
 *       {@code example.com}, {@code www.example.co.uk} → {@code example.co.uk},
 *       {@code foo.herokuapp.com} → {@code foo.herokuapp.com}. This is the domain analytics.js's
 *       own probe settles on, so browser and server write the same cookie. Host-only for IPv4 and
 *       IPv6 literals, {@code localhost} and other single-label hosts, hosts that are themselves a
 *       public suffix and anything that is not a valid host name;
 *   <li>{@code none}: always host-only;
 *   <li>an explicit domain: used when the request host equals it or is a subdomain of it, otherwise
 *       host-only, because a browser rejects a {@code Set-Cookie} whose {@code Domain} does not
 *       domain-match the host (and one that is a public suffix; such a domain also gives host-only).
 * </ul>
 *
 * <p>Hosts are normalised first: port and one trailing dot removed, lower-cased, internationalised
 * names converted with {@link IDN#toASCII} (a name it refuses gives host-only). Results for
 * {@code auto} are cached per host in a bounded map. Instances are immutable and thread-safe.
 */
public final class CookieDomains {
  /** Where the bundled list comes from (see {@code public_suffix_list.README} beside it). */
  public static final String PUBLIC_SUFFIX_LIST_VERSION = "Debian publicsuffix 20230209.2326-1";
  static final int CACHE_LIMIT = 4096;
  private static final String HOST_ONLY = "";

  private enum Mode { AUTO, NONE, EXPLICIT }

  private final Mode mode;
  private final String explicit;
  private final boolean explicitIsPublicSuffix;
  private final ConcurrentHashMap<String, String> cache;

  private CookieDomains(Mode mode, String explicit) {
    this.mode = mode;
    this.explicit = explicit;
    this.explicitIsPublicSuffix = explicit != null
        && (explicit.indexOf('.') < 0 || PublicSuffixList.get().isPublicSuffix(explicit));
    this.cache = mode == Mode.AUTO ? new ConcurrentHashMap<>() : null;
  }

  /**
   * From the value of {@code cookie.domain} as {@code Settings.cookieDomain()} returns it:
   * {@code auto}, {@code none} or a domain name (a leading dot is ignored).
   *
   * @throws IllegalArgumentException when the value is none of these
   */
  public static CookieDomains of(String setting) {
    if (setting == null || setting.equalsIgnoreCase("auto")) {
      return new CookieDomains(Mode.AUTO, null);
    }
    if (setting.equalsIgnoreCase("none")) {
      return new CookieDomains(Mode.NONE, null);
    }
    String domain = normalizeHost(setting.startsWith(".") ? setting.substring(1) : setting);
    if (domain == null || isIpLiteral(domain)) {
      throw new IllegalArgumentException("cookie.domain: '" + setting + "' is not auto, none or a domain name");
    }
    return new CookieDomains(Mode.EXPLICIT, domain);
  }

  /** The {@code Domain} attribute for a request to {@code host} (may carry a port), or {@code null} for host-only. */
  public String domainFor(String host) {
    if (mode == Mode.NONE || host == null) {
      return null;
    }
    if (mode == Mode.EXPLICIT) {
      if (explicitIsPublicSuffix) {
        return null;
      }
      String h = normalizeHost(host);
      return h != null && (h.equals(explicit) || (h.endsWith(explicit) && h.length() > explicit.length()
          && h.charAt(h.length() - explicit.length() - 1) == '.')) ? explicit : null;
    }
    String cached = cache.get(host);
    if (cached == null) {
      String domain = registrableDomain(host);
      cached = domain == null ? HOST_ONLY : domain;
      if (cache.size() >= CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(host, cached);
    }
    return cached.isEmpty() ? null : cached;
  }

  /**
   * The registrable domain (eTLD+1) of a host, or {@code null} when a cookie for it must be
   * host-only (IP literal, single label, public suffix, invalid name).
   */
  public static String registrableDomain(String host) {
    String h = normalizeHost(host);
    if (h == null || h.indexOf('.') < 0 || isIpLiteral(h)) {
      return null;
    }
    return PublicSuffixList.get().registrableDomain(h);
  }

  /**
   * Lower-case ASCII host name without port and trailing dot, or {@code null} when the text is not a
   * host name (IPv6 literals, with or without brackets, also give {@code null}).
   */
  static String normalizeHost(String host) {
    if (host == null || host.isEmpty() || host.length() > 300 || host.charAt(0) == '[') {
      return null;
    }
    String h = host;
    int colon = h.indexOf(':');
    if (colon >= 0) {
      if (h.indexOf(':', colon + 1) >= 0) {
        return null; // an IPv6 literal
      }
      h = h.substring(0, colon);
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty()) {
      return null;
    }
    boolean ascii = true;
    for (int i = 0; i < h.length(); i++) {
      if (h.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      try {
        h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    h = h.toLowerCase(Locale.ROOT);
    return isLdhName(h) ? h : null;
  }

  private static boolean isLdhName(String h) {
    if (h.isEmpty() || h.length() > 253) {
      return false;
    }
    int labelLength = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == '.') {
        if (labelLength == 0) {
          return false;
        }
        labelLength = 0;
        continue;
      }
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') || ++labelLength > 63) {
        return false;
      }
    }
    return labelLength > 0;
  }

  /**
   * True when a browser would parse the name as an IPv4 address: its last label is numeric
   * (decimal, or hexadecimal with {@code 0x}), as the WHATWG URL parser decides.
   */
  static boolean isIpLiteral(String h) {
    String last = h.substring(h.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    int start = 0;
    boolean hex = last.startsWith("0x");
    if (hex) {
      start = 2;
    }
    for (int i = start; i < last.length(); i++) {
      char c = last.charAt(i);
      boolean digit = hex ? Character.digit(c, 16) >= 0 : (c >= '0' && c <= '9');
      if (!digit) {
        return false;
      }
    }
    return true;
  }
}
