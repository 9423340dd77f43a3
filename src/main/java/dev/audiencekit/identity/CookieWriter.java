package dev.audiencekit.identity;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieAttributes;
import dev.audiencekit.cookie.CookieDomains;
import dev.audiencekit.cookie.CookieHeader;
import dev.audiencekit.cookie.CookieValueEncoder;
import dev.audiencekit.cookie.SetCookieHeader;
import dev.audiencekit.http.ClientRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Objects;

/**
 * Writes the identity cookies of one response: the readable {@code ajs_*} cookies for the ids that
 * exist (sliding expiry), deletions for the ids that went away, and the HttpOnly backup cookie.
 */
public final class CookieWriter {
  private final Settings settings;
  private final CookieDomains domains;
  private final SetCookieHeader headers;

  /** The ids a browser holds after a response (or before, when nothing could be written). */
  public record Written(String anonymousId, String userId, String groupId) {
    /** What the browser sent. */
    public static Written of(CookieHeader cookies) {
      return new Written(cookies.id(CookieHeader.ANONYMOUS_ID).value(), cookies.id(CookieHeader.USER_ID).value(),
          cookies.id(CookieHeader.GROUP_ID).value());
    }

    /** Whether the browser's cookies differ from the identity {@code (anonymousId, userId, groupId)}. */
    public boolean differsFrom(String anonymousId, String userId, String groupId) {
      return !Objects.equals(this.anonymousId, anonymousId) || !Objects.equals(this.userId, userId)
          || !Objects.equals(this.groupId, groupId);
    }
  }

  public CookieWriter(Settings settings, Clock clock) {
    this.settings = settings;
    this.domains = CookieDomains.of(settings.cookieDomain());
    this.headers = new SetCookieHeader(clock);
  }

  /**
   * Adds the {@code Set-Cookie} headers for the identity {@code (anonymousId, userId, groupId)} to a
   * response that has not committed yet.
   *
   * @param incoming the cookies the browser sent, to know which ones to delete
   */
  public Written write(HttpServletResponse response, ClientRequest client, CookieHeader incoming,
      String anonymousId, String userId, String groupId) {
    String domain = domains.domainFor(client.host());
    CookieAttributes readable = CookieAttributes.readable(settings, domain, client.isSecure());
    put(response, incoming, CookieHeader.ANONYMOUS_ID, anonymousId, readable);
    put(response, incoming, CookieHeader.USER_ID, userId, readable);
    put(response, incoming, CookieHeader.GROUP_ID, groupId, readable);
    if (!settings.backupCookie().isEmpty()) {
      put(response, incoming, settings.backupCookie(), anonymousId,
          CookieAttributes.backup(settings, domain, client.isSecure()));
    }
    return new Written(anonymousId, userId, groupId);
  }

  private void put(HttpServletResponse response, CookieHeader incoming, String name, String value,
      CookieAttributes attributes) {
    if (value != null) {
      response.addHeader("Set-Cookie",
          headers.set(name, CookieValueEncoder.encode(value, settings.cookieFormat()), attributes));
    } else if (incoming.raw(name) != null) {
      response.addHeader("Set-Cookie", headers.delete(name, attributes));
    }
  }
}
