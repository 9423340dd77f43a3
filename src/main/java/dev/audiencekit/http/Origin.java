package dev.audiencekit.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins ({@code scheme://host[:port]}) as browsers send them in the {@code Origin} header: lower
 * case, no path, the port only when it is not the scheme's default.
 */
public final class Origin {
  private Origin() {}

  /**
   * The origin in the browsers' canonical spelling, or {@code null} when {@code text} is not an
   * {@code http} or {@code https} origin ({@code null}, {@code "null"}, a path, user info, a query).
   * One trailing {@code /} is tolerated.
   */
  public static String normalize(String text) {
    if (text == null || text.isEmpty() || text.length() > HostAndPort.MAX_LENGTH + 8) {
      return null;
    }
    String value = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return null;
    }
    HostAndPort host = HostAndPort.parse(uri.getRawAuthority());
    if (host == null) {
      return null;
    }
    return scheme + "://" + host.authority(scheme);
  }

  /** The {@code host[:port]} of a normalized origin (the port only when not the default). */
  public static String authority(String normalized) {
    return normalized.substring(normalized.indexOf("://") + 3);
  }
}
