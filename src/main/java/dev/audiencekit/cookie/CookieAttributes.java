package dev.audiencekit.cookie;

import dev.audiencekit.config.Settings;
import dev.audiencekit.config.Settings.SameSite;

/**
 * The attributes of one {@code Set-Cookie} header, apart from name and value. {@code Path} is always
 * {@code /}.
 *
 * @param domain the {@code Domain} attribute, or {@code null} for a host-only cookie
 * @param maxAgeSeconds lifetime in seconds, {@code >= 0}
 * @param sameSite the {@code SameSite} attribute; {@code None} requires {@code secure}
 * @param secure whether to write {@code Secure}
 * @param httpOnly whether to write {@code HttpOnly}
 */
public record CookieAttributes(String domain, long maxAgeSeconds, SameSite sameSite, boolean secure, boolean httpOnly) {
  private static final long SECONDS_PER_DAY = 86_400L;

  public CookieAttributes {
    if (domain != null && !isDomain(domain)) {
      throw new IllegalArgumentException("cookie domain is not a host name: " + domain);
    }
    if (maxAgeSeconds < 0) {
      throw new IllegalArgumentException("cookie max-age must be >= 0: " + maxAgeSeconds);
    }
    if (sameSite == null) {
      throw new IllegalArgumentException("cookie SameSite must be given");
    }
    if (sameSite == SameSite.NONE && !secure) {
      throw new IllegalArgumentException("SameSite=None requires Secure");
    }
  }

  /** The readable {@code ajs_*} cookies: lifetime {@code cookie.maxAgeDays}, never HttpOnly. */
  public static CookieAttributes readable(Settings settings, String domain, boolean requestSecure) {
    return new CookieAttributes(domain, settings.cookieMaxAgeDays() * SECONDS_PER_DAY,
        settings.cookieSameSite(), secure(settings.cookieSecure(), requestSecure), false);
  }

  /** The HttpOnly backup cookie: lifetime {@code backupCookie.maxAgeDays}, otherwise as the readable ones. */
  public static CookieAttributes backup(Settings settings, String domain, boolean requestSecure) {
    return new CookieAttributes(domain, settings.backupCookieMaxAgeDays() * SECONDS_PER_DAY,
        settings.cookieSameSite(), secure(settings.cookieSecure(), requestSecure), true);
  }

  /** {@code cookie.secure}: {@code auto} follows the (proxy-aware) security of the request. */
  public static boolean secure(Settings.Secure setting, boolean requestSecure) {
    return setting == Settings.Secure.TRUE || (setting == Settings.Secure.AUTO && requestSecure);
  }

  private static boolean isDomain(String d) {
    if (d.isEmpty() || d.length() > 253) {
      return false;
    }
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
