package dev.audiencekit.http;

import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The {@code Set-Cookie} headers that one filter owns on one response, recognised by cookie name.
 *
 * <p>The Servlet API can add and overwrite headers but cannot remove one, so replacing the owned
 * headers rewrites the whole {@code Set-Cookie} field: the application's own cookies first, as they
 * were, then the owned ones. A response therefore never carries two owned headers for one cookie
 * name. An owned header that is replaced by nothing would leave nothing to overwrite with, so callers
 * replace every owned name they wrote (with a deletion if need be).
 *
 * <p>Like the response, an instance is not thread-safe.
 */
public final class OwnedSetCookies {
  private static final String SET_COOKIE = "Set-Cookie";

  private final Set<String> names;
  private List<String> written = List.of();

  /** @param names the cookie names this filter owns (not copied when already an immutable set) */
  public OwnedSetCookies(Collection<String> names) {
    this.names = Set.copyOf(names);
  }

  /** Whether the last write or replacement put a header for cookie {@code name} on the response. */
  public boolean wrote(String name) {
    for (String header : written) {
      if (name.equals(cookieName(header))) {
        return true;
      }
    }
    return false;
  }

  /** Adds {@code headers} to a response that carries no owned header yet. */
  public void add(HttpServletResponse response, List<String> headers) {
    for (String header : headers) {
      response.addHeader(SET_COOKIE, header);
    }
    written = List.copyOf(headers);
  }

  /**
   * Replaces every owned header on the response by {@code headers}; other cookies stay.
   *
   * @return whether the response took the new headers: a container ignores header changes while the
   *     response is included by another resource, or once it has committed
   */
  public boolean replace(HttpServletResponse response, List<String> headers) {
    List<String> field = new ArrayList<>();
    for (String header : response.getHeaders(SET_COOKIE)) {
      if (!names.contains(cookieName(header))) {
        field.add(header);
      }
    }
    field.addAll(headers);
    for (int i = 0; i < field.size(); i++) {
      if (i == 0) {
        response.setHeader(SET_COOKIE, field.get(i));
      } else {
        response.addHeader(SET_COOKIE, field.get(i));
      }
    }
    if (!response.getHeaders(SET_COOKIE).containsAll(headers)) {
      return false;
    }
    written = List.copyOf(headers);
    return true;
  }

  /** Puts the owned headers back after the application reset the response (which removed them). */
  public void restore(HttpServletResponse response) {
    add(response, written);
  }

  private static String cookieName(String header) {
    int eq = header.indexOf('=');
    return (eq < 0 ? header : header.substring(0, eq)).trim();
  }
}
