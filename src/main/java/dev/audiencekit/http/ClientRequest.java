package dev.audiencekit.http;

import dev.audiencekit.config.Settings.RemoteIpHeader;
import dev.audiencekit.config.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

/**
 * The request as the client made it, derived from an {@link HttpServletRequest} and the
 * {@code trustedProxies} / {@code remoteIpHeader} settings, the way Tomcat's {@code RemoteIpValve}
 * does it. Forwarding headers are believed only when the direct peer ({@code getRemoteAddr()}) is a
 * trusted proxy, and only the configured family is read: under {@code x-forwarded-for}
 * {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}; under
 * {@code forwarded} the RFC 7239 {@code Forwarded} header. A header of the other family is the
 * client's own and is ignored entirely.
 *
 * <p><b>Client IP.</b> The proxy chain (several header lines are joined in order) is walked from the
 * right: each trusted proxy is stepped over, and the first address that is not a trusted proxy is the
 * client. Entries further left were written by the client and are never used. An entry that is not an
 * IP address ({@code unknown}, an obfuscated {@code _identifier}, garbage) stops the walk: the client
 * is then the last proxy the walk trusted, because nothing reliable is known beyond it. Ports and
 * brackets are removed ({@code "[2001:db8::1]:4711"}, {@code 192.0.2.1:8080}); empty list entries are
 * skipped; at most the right-most {@link #MAX_FORWARDED_CHARS} characters are read.
 *
 * <p><b>Scheme.</b> From a trusted proxy, the {@code proto=} of the client's {@code Forwarded} element,
 * or the first value of {@code X-Forwarded-Proto} ({@code http} or {@code https}; the client-facing
 * proxy must set it, not append to it), by the configured family; otherwise {@code request.isSecure()}.
 *
 * <p><b>Host.</b> From a trusted proxy, the {@code host=} of the client's {@code Forwarded} element, or
 * the first value of {@code X-Forwarded-Host}, by the configured family; otherwise the {@code Host}
 * header, then {@code getServerName()}/{@code getServerPort()}. A value that is not a valid
 * {@code host[:port]} is skipped for the next source; when none is valid the host is
 * {@code localhost}. {@code X-Forwarded-Port} is not read.
 *
 * <p>Each part is worked out on its first use and kept: a returning visitor who sends no event and
 * needs no fingerprint never has its proxy chain walked. For the same reason an instance reads its
 * request later and must only be used while that request is being served, on its thread.
 */
public final class ClientRequest {
  /** Forwarding headers are read up to this many characters, keeping the right-most ones. */
  public static final int MAX_FORWARDED_CHARS = 8 * 1024;
  /** Header lines of one forwarding header read at most. */
  private static final int MAX_HEADER_LINES = 64;
  private static final byte UNKNOWN = 0;
  private static final byte YES = 1;
  private static final byte NO = 2;

  private final HttpServletRequest request;
  private final TrustedProxies proxies;
  /** Whether the direct peer is a trusted proxy. */
  private byte peerTrusted = UNKNOWN;
  /** The peer's address, parsed along with {@link #peerTrusted} ({@code null} when not a literal). */
  private byte[] peer;
  private String ip;
  private byte secure = UNKNOWN;
  private HostAndPort hostAndPort;
  private String url;
  /** The client's element of a believed {@code Forwarded} chain, once walked (its fields may be null). */
  private ForwardedHeader.Element forwardedClient;

  private ClientRequest(HttpServletRequest request, TrustedProxies proxies) {
    this.request = request;
    this.proxies = proxies;
  }

  /** The client's view of {@code request}; nothing is read until asked for, and nothing throws on header content. */
  public static ClientRequest of(HttpServletRequest request, TrustedProxies proxies) {
    return new ClientRequest(request, proxies);
  }

  // ------------------------------------------------------------------ the parts

  /** The client IP in canonical form (dotted quad, RFC 5952 IPv6); {@code ""} when the container gave none. */
  public String ip() {
    if (ip == null) {
      ip = clientIp();
    }
    return ip;
  }

  /** Whether the client's own connection was HTTPS. */
  public boolean isSecure() {
    if (secure == UNKNOWN) {
      secure = clientSecure() ? YES : NO;
    }
    return secure == YES;
  }

  /** {@code https} or {@code http}, as the client used. */
  public String scheme() {
    return isSecure() ? "https" : "http";
  }

  /** The host the client addressed, lower case, without port (an IPv6 literal in brackets). */
  public String host() {
    return hostAndPort().host();
  }

  /** The port the client addressed explicitly, or -1 when it gave none. */
  public int port() {
    return hostAndPort().port();
  }

  /** {@code host[:port]}, without the port when it is the default one for {@link #scheme()}. */
  public String authority() {
    return hostAndPort().authority(scheme());
  }

  /** The full URL as the client addressed it: {@code scheme://host[:port]path[?query]}. */
  public String url() {
    if (url == null) {
      url = url(scheme(), hostAndPort(), request.getRequestURI(), request.getQueryString());
    }
    return url;
  }

  /** Whether the direct peer was a trusted proxy (so forwarding headers are read). */
  public boolean viaTrustedProxy() {
    if (peerTrusted == UNKNOWN) {
      peer = IpAddresses.parse(request.getRemoteAddr());
      peerTrusted = peer != null && proxies.contains(peer) ? YES : NO;
    }
    return peerTrusted == YES;
  }

  @Override
  public String toString() {
    return "ClientRequest[ip=" + ip() + ", url=" + url() + "]";
  }

  // ------------------------------------------------------------------ working them out

  private String clientIp() {
    boolean trusted = viaTrustedProxy();
    byte[] client = peer;
    if (trusted) {
      if (proxies.header() == RemoteIpHeader.FORWARDED) {
        client = walkForwarded(client);
      } else {
        String chain = rightMost(request.getHeaders("X-Forwarded-For"));
        if (!chain.isEmpty()) {
          client = walkForwardedFor(chain, client);
        }
      }
    }
    if (client != null) {
      return IpAddresses.format(client);
    }
    String remote = request.getRemoteAddr();
    return remote == null ? "" : remote;
  }

  /** Steps right to left over the trusted hops of an {@code X-Forwarded-For} list; returns the client. */
  private byte[] walkForwardedFor(String chain, byte[] peerAddress) {
    byte[] client = peerAddress;
    int end = chain.length();
    while (end > 0) {
      int comma = chain.lastIndexOf(',', end - 1);
      int start = comma + 1;
      int from = start;
      int to = end;
      end = comma < 0 ? 0 : comma;
      while (from < to && chain.charAt(from) <= ' ') {
        from++;
      }
      while (to > from && chain.charAt(to - 1) <= ' ') {
        to--;
      }
      if (from == to) {
        continue; // an empty entry
      }
      byte[] hop = IpAddresses.parse(stripPort(chain.substring(from, to)));
      if (hop == null) {
        break;
      }
      client = hop;
      if (!proxies.contains(hop)) {
        break;
      }
    }
    return client;
  }

  /**
   * Steps right to left over the trusted hops of a {@code Forwarded} chain, keeping the client's element
   * for its {@code proto=} and {@code host=}; returns the client's address.
   */
  private byte[] walkForwarded(byte[] peerAddress) {
    List<String> lines = rightMostLines(request.getHeaders("Forwarded"));
    byte[] client = peerAddress;
    ForwardedHeader.Element element = null;
    if (!lines.isEmpty()) {
      // Lines stay apart: a broken quote a client left in its own line cannot swallow the proxy's line.
      List<ForwardedHeader.Element> elements = ForwardedHeader.parse(lines);
      for (int i = elements.size() - 1; i >= 0; i--) {
        element = elements.get(i);
        byte[] hop = IpAddresses.parse(stripPort(element.forAddress()));
        if (hop == null) {
          break;
        }
        client = hop;
        if (!proxies.contains(hop)) {
          break;
        }
      }
    }
    forwardedClient = element == null ? new ForwardedHeader.Element(null, null, null) : element;
    return client;
  }

  /** The client's {@code Forwarded} element, walking the chain once (for the address too). */
  private ForwardedHeader.Element forwardedClient() {
    if (forwardedClient == null) {
      ip = clientIp();
    }
    return forwardedClient;
  }

  private boolean clientSecure() {
    String proto = forwardedValue("X-Forwarded-Proto", true);
    if (proto != null && (proto.equalsIgnoreCase("https") || proto.equalsIgnoreCase("http"))) {
      return proto.equalsIgnoreCase("https");
    }
    return request.isSecure();
  }

  private HostAndPort hostAndPort() {
    if (hostAndPort == null) {
      HostAndPort host = HostAndPort.parse(forwardedValue("X-Forwarded-Host", false));
      if (host == null) {
        host = HostAndPort.parse(request.getHeader("Host"));
      }
      if (host == null) {
        HostAndPort server = HostAndPort.parse(request.getServerName());
        host = server == null ? new HostAndPort("localhost", -1)
            : new HostAndPort(server.host(), request.getServerPort() > 0 ? request.getServerPort() : -1);
      }
      hostAndPort = host;
    }
    return hostAndPort;
  }

  /**
   * The scheme ({@code proto}) or host a trusted proxy forwarded, by the configured family, or
   * {@code null}. The header is looked at before the peer, so a request without one costs no address
   * parsing.
   *
   * @param xForwardedHeader the header of the {@code X-Forwarded-For} family
   * @param proto            whether the {@code proto=} (else the {@code host=}) of {@code Forwarded} is wanted
   */
  private String forwardedValue(String xForwardedHeader, boolean proto) {
    if (proxies.header() == RemoteIpHeader.FORWARDED) {
      if (forwardedClient == null && request.getHeader("Forwarded") == null) {
        return null;
      }
      if (!viaTrustedProxy()) {
        return null;
      }
      ForwardedHeader.Element client = forwardedClient();
      return proto ? client.proto() : client.host();
    }
    String value = request.getHeader(xForwardedHeader);
    return value == null || !viaTrustedProxy() ? null : firstValue(value);
  }

  // ------------------------------------------------------------------ text helpers

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

  /** The header lines joined with commas, keeping the right-most {@link #MAX_FORWARDED_CHARS} characters. */
  private static String rightMost(Enumeration<String> headers) {
    if (headers == null || !headers.hasMoreElements()) {
      return "";
    }
    String first = headers.nextElement();
    if (!headers.hasMoreElements() && first != null && first.length() <= MAX_FORWARDED_CHARS) {
      return first; // one line, the usual case: nothing to join or cut
    }
    List<String> lines = new ArrayList<>(4);
    if (first != null) {
      lines.add(first);
    }
    List<String> kept = rightMostLines(lines, headers);
    return kept.size() == 1 ? kept.get(0) : String.join(",", kept);
  }

  /** The header lines in order, keeping only the right-most {@link #MAX_FORWARDED_CHARS} characters. */
  private static List<String> rightMostLines(Enumeration<String> headers) {
    if (headers == null || !headers.hasMoreElements()) {
      return List.of();
    }
    return rightMostLines(new ArrayList<>(4), headers);
  }

  /**
   * {@code lines} plus the rest of {@code headers} (at most {@link #MAX_HEADER_LINES} in all); when they
   * are longer than {@link #MAX_FORWARDED_CHARS} together, only their right-most characters as one
   * line, without the entry the cut falls into.
   */
  private static List<String> rightMostLines(List<String> lines, Enumeration<String> headers) {
    int total = 0;
    for (String line : lines) {
      total += line.length() + 1;
    }
    while (headers.hasMoreElements() && lines.size() < MAX_HEADER_LINES) {
      String v = headers.nextElement();
      if (v != null) {
        lines.add(v);
        total += v.length() + 1;
      }
    }
    if (total <= MAX_FORWARDED_CHARS + 1) {
      return lines;
    }
    String joined = String.join(",", lines);
    String tail = joined.substring(joined.length() - MAX_FORWARDED_CHARS);
    int comma = tail.indexOf(',');
    return List.of(comma < 0 ? "" : tail.substring(comma + 1));
  }

  private static String firstValue(String header) {
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
}
