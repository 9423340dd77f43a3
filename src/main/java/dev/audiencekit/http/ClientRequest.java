package dev.audiencekit.http;

import dev.audiencekit.config.Cidr;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The request as the client made it, derived once per request from an {@link HttpServletRequest} and
 * the {@code trustedProxies} setting. Forwarding headers are believed only when the direct peer
 * ({@code getRemoteAddr()}) is a trusted proxy.
 *
 * <p><b>Client IP.</b> The proxy chain ({@code Forwarded: for=} when that header is present, else
 * {@code X-Forwarded-For}; several header lines are joined in order) is walked from the right: each
 * trusted proxy is stepped over, and the first address that is not a trusted proxy is the client.
 * Entries further left were written by the client and are never used. An entry that is not an IP
 * address ({@code unknown}, an obfuscated {@code _identifier}, garbage) stops the walk: the client
 * is then the last proxy the walk trusted, because nothing reliable is known beyond it. Ports and
 * brackets are removed ({@code "[2001:db8::1]:4711"}, {@code 192.0.2.1:8080}); empty list entries are
 * skipped; at most the right-most {@link #MAX_FORWARDED_CHARS} characters are read.
 *
 * <p><b>Scheme.</b> From a trusted proxy, the {@code proto=} of the client's {@code Forwarded}
 * element, else the first value of {@code X-Forwarded-Proto} ({@code http} or {@code https}; the
 * client-facing proxy must set it, not append to it); otherwise {@code request.isSecure()}.
 *
 * <p><b>Host.</b> From a trusted proxy, the {@code host=} of the client's {@code Forwarded} element,
 * else the first value of {@code X-Forwarded-Host}; otherwise the {@code Host} header, then
 * {@code getServerName()}/{@code getServerPort()}. A value that is not a valid {@code host[:port]}
 * is skipped for the next source; when none is valid the host is {@code localhost}.
 * {@code X-Forwarded-Port} is not read.
 */
public final class ClientRequest {
  /** Forwarding headers are read up to this many characters, keeping the right-most ones. */
  public static final int MAX_FORWARDED_CHARS = 8 * 1024;

  private final String ip;
  private final boolean secure;
  private final HostAndPort hostAndPort;
  private final String path;
  private final String query;
  /** Built on first use: most requests send no event and never need it. */
  private String url;
  private final boolean viaTrustedProxy;

  private ClientRequest(String ip, boolean secure, HostAndPort hostAndPort, String path, String query,
      boolean viaTrustedProxy) {
    this.ip = ip;
    this.secure = secure;
    this.hostAndPort = hostAndPort;
    this.path = path;
    this.query = query;
    this.viaTrustedProxy = viaTrustedProxy;
  }

  /** Derives the client's view of {@code request}; never throws on header content. */
  public static ClientRequest of(HttpServletRequest request, List<Cidr> trustedProxies) {
    String remote = request.getRemoteAddr();
    byte[] remoteBytes = IpAddresses.parse(remote);
    String ip = remoteBytes != null ? IpAddresses.format(remoteBytes) : (remote == null ? "" : remote);
    boolean trusted = remoteBytes != null && IpAddresses.isIn(remoteBytes, trustedProxies);

    String proto = null;
    String forwardedHost = null;
    if (trusted) {
      List<String> forwarded = rightMost(request.getHeaders("Forwarded"));
      if (!forwarded.isEmpty()) {
        List<ForwardedHeader.Element> elements = ForwardedHeader.parse(forwarded);
        int client = -1;
        for (int i = elements.size() - 1; i >= 0; i--) {
          client = i;
          byte[] hop = IpAddresses.parse(stripPort(elements.get(i).forAddress()));
          if (hop == null) {
            break;
          }
          ip = IpAddresses.format(hop);
          if (!IpAddresses.isIn(hop, trustedProxies)) {
            break;
          }
        }
        if (client >= 0) {
          proto = elements.get(client).proto();
          forwardedHost = elements.get(client).host();
        }
      } else {
        List<String> hops = commaList(rightMost(request.getHeaders("X-Forwarded-For")));
        for (int i = hops.size() - 1; i >= 0; i--) {
          byte[] hop = IpAddresses.parse(stripPort(hops.get(i)));
          if (hop == null) {
            break;
          }
          ip = IpAddresses.format(hop);
          if (!IpAddresses.isIn(hop, trustedProxies)) {
            break;
          }
        }
        proto = firstValue(request.getHeader("X-Forwarded-Proto"));
        forwardedHost = firstValue(request.getHeader("X-Forwarded-Host"));
      }
    }

    String scheme;
    if (proto != null && (proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("http"))) {
      scheme = proto.toLowerCase(Locale.ROOT);
    } else {
      scheme = request.isSecure() ? "https" : "http";
    }
    HostAndPort host = HostAndPort.parse(forwardedHost);
    if (host == null) {
      host = HostAndPort.parse(request.getHeader("Host"));
    }
    if (host == null) {
      HostAndPort server = HostAndPort.parse(request.getServerName());
      host = server == null ? new HostAndPort("localhost", -1)
          : new HostAndPort(server.host(), request.getServerPort() > 0 ? request.getServerPort() : -1);
    }
    return new ClientRequest(ip, "https".equals(scheme), host, request.getRequestURI(), request.getQueryString(),
        trusted);
  }

  private static String url(String scheme, HostAndPort host, String path, String query) {
    StringBuilder sb = new StringBuilder(64);
    sb.append(scheme).append("://").append(host.authority(scheme));
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      sb.append('/');
    }
    if (path != null) {
      sb.append(path);
    }
    if (query != null) {
      sb.append('?').append(query);
    }
    return sb.toString();
  }

  /** The header values in order, keeping only the right-most {@link #MAX_FORWARDED_CHARS} characters. */
  private static List<String> rightMost(Enumeration<String> headers) {
    if (headers == null || !headers.hasMoreElements()) {
      return Collections.emptyList();
    }
    List<String> all = new ArrayList<>(2);
    int total = 0;
    int count = 0;
    while (headers.hasMoreElements() && count++ < 64) {
      String v = headers.nextElement();
      if (v != null) {
        all.add(v);
        total += v.length() + 1;
      }
    }
    if (total <= MAX_FORWARDED_CHARS) {
      return all;
    }
    String joined = String.join(",", all);
    String tail = joined.substring(joined.length() - MAX_FORWARDED_CHARS);
    int comma = tail.indexOf(',');
    return List.of(comma < 0 ? "" : tail.substring(comma + 1)); // drop the cut entry
  }

  private static List<String> commaList(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      int start = 0;
      while (start <= v.length()) {
        int comma = v.indexOf(',', start);
        int end = comma < 0 ? v.length() : comma;
        String entry = v.substring(start, end).trim();
        if (!entry.isEmpty()) {
          out.add(entry);
        }
        start = end + 1;
      }
    }
    return out;
  }

  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String first = (comma < 0 ? header : header.substring(0, comma)).trim();
    return first.isEmpty() ? null : first;
  }

  /** {@code 192.0.2.1:80} → {@code 192.0.2.1}, {@code [2001:db8::1]:80} → {@code [2001:db8::1]}; IPv6 left alone. */
  static String stripPort(String address) {
    if (address == null) {
      return null;
    }
    if (address.startsWith("[")) {
      int close = address.indexOf(']');
      return close < 0 ? null : address.substring(0, close + 1);
    }
    int colon = address.indexOf(':');
    if (colon >= 0 && address.indexOf(':', colon + 1) < 0) {
      return address.substring(0, colon);
    }
    return address;
  }

  /** The client IP in canonical form (dotted quad, RFC 5952 IPv6); {@code ""} when the container gave none. */
  public String ip() {
    return ip;
  }

  /** Whether the client's own connection was HTTPS. */
  public boolean isSecure() {
    return secure;
  }

  /** {@code https} or {@code http}, as the client used. */
  public String scheme() {
    return secure ? "https" : "http";
  }

  /** The host the client addressed, lower case, without port (an IPv6 literal in brackets). */
  public String host() {
    return hostAndPort.host();
  }

  /** The port the client addressed explicitly, or -1 when it gave none. */
  public int port() {
    return hostAndPort.port();
  }

  /** {@code host[:port]}, without the port when it is the default one for {@link #scheme()}. */
  public String authority() {
    return hostAndPort.authority(scheme());
  }

  /** The full URL as the client addressed it: {@code scheme://host[:port]path[?query]}. */
  public String url() {
    if (url == null) {
      url = url(scheme(), hostAndPort, path, query);
    }
    return url;
  }

  /** Whether the direct peer was a trusted proxy (so forwarding headers were read). */
  public boolean viaTrustedProxy() {
    return viaTrustedProxy;
  }

  @Override
  public String toString() {
    return "ClientRequest[ip=" + ip + ", url=" + url() + "]";
  }
}
