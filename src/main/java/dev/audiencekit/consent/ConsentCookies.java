package dev.audiencekit.consent;

import dev.audiencekit.cookie.CookieHeader;
import jakarta.servlet.http.HttpServletRequest;

/** Reads one consent cookie with the library's tolerant, bounded cookie reader. */
final class ConsentCookies {
  /** A consent cookie longer than this is unreadable (browsers cap a cookie at 4096 bytes). */
  static final int MAX_LENGTH = 4096;

  private ConsentCookies() {}

  /**
   * The raw value of the first cookie called {@code name} in the request's {@code Cookie} headers, or
   * {@code null}. Never throws.
   */
  static String raw(HttpServletRequest request, String name) {
    try {
      // The reader keeps the library's own names plus one more; here that one is the consent cookie.
      return CookieHeader.parse(request.getHeaders("Cookie"), name).raw(name);
    } catch (RuntimeException e) {
      return null; // a container whose request object fails here: no cookie
    }
  }
}
