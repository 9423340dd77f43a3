package dev.audiencekit.identity;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieAttributes;
import dev.audiencekit.cookie.CookieDomains;
import dev.audiencekit.cookie.CookieHeader;
import dev.audiencekit.cookie.CookieValueEncoder;
import dev.audiencekit.cookie.SetCookieHeader;
import dev.audiencekit.http.ClientRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

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
   * The {@code Set-Cookie} header values for the identity {@code (anonymousId, userId, groupId)}: a
   * cookie for each id that exists, and a deletion for each cookie that went away.
   *
   * @param held whether the browser may hold a cookie of that name (it sent one, or this response
   *     already set one), i.e. whether a missing id needs a deletion
   */
  public List<String> headers(ClientRequest client, Predicate<String> held, String anonymousId, String userId,
      String groupId) {
    String domain = domains.domainFor(client.host());
    CookieAttributes readable = CookieAttributes.readable(settings, domain, client.isSecure());
    List<String> out = new ArrayList<>(4);
    put(out, held, CookieHeader.ANONYMOUS_ID, anonymousId, readable);
    put(out, held, CookieHeader.USER_ID, userId, readable);
    put(out, held, CookieHeader.GROUP_ID, groupId, readable);
    if (!settings.backupCookie().isEmpty()) {
      put(out, held, settings.backupCookie(), anonymousId, CookieAttributes.backup(settings, domain, client.isSecure()));
    }
    return out;
  }

  /** The names of the cookies this writer owns. */
  public List<String> names() {
    return settings.backupCookie().isEmpty()
        ? List.of(CookieHeader.ANONYMOUS_ID, CookieHeader.USER_ID, CookieHeader.GROUP_ID)
        : List.of(CookieHeader.ANONYMOUS_ID, CookieHeader.USER_ID, CookieHeader.GROUP_ID, settings.backupCookie());
  }

  private void put(List<String> out, Predicate<String> held, String name, String value, CookieAttributes attributes) {
    if (value != null) {
      out.add(headers.set(name, CookieValueEncoder.encode(value, settings.cookieFormat()), attributes));
    } else if (held.test(name)) {
      out.add(headers.delete(name, attributes));
    }
  }
}
