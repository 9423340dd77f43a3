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
 * The identity cookies of one response: the readable {@code ajs_*} cookies for the ids that exist
 * (sliding expiry), deletions for the ids that went away, and the HttpOnly backup cookie with the
 * browser's device key.
 *
 * <p>No identity cookie can lock a browser out: an id whose encoded value would exceed
 * {@link #MAX_VALUE_BYTES} is used for the request and its events but not written; the browser's
 * cookie for it is deleted, and the backup cookie then holds the device key alone. So the identity
 * cookies stay far below the 8 KiB request-header limits of the containers.
 */
public final class CookieWriter {
  /** The longest encoded id written to a cookie (the encoding is ASCII, so characters are bytes). */
  public static final int MAX_VALUE_BYTES = 1000;

  private final Settings settings;
  private final CookieDomains domains;
  private final SetCookieHeader headers;

  /** The identity a response gives the browser (or what the browser holds when nothing could be written). */
  public record Written(String anonymousId, String userId, String groupId, DeviceKey deviceKey) {
    /** What the browser sent. */
    public static Written of(CookieHeader cookies, DeviceKey deviceKey) {
      return new Written(cookies.id(CookieHeader.ANONYMOUS_ID).value(), cookies.id(CookieHeader.USER_ID).value(),
          cookies.id(CookieHeader.GROUP_ID).value(), deviceKey);
    }

    /** Whether the identity {@code (anonymousId, userId, groupId)} differs from these ids. */
    public boolean differsFrom(String anonymousId, String userId, String groupId) {
      return !Objects.equals(this.anonymousId, anonymousId) || !Objects.equals(this.userId, userId)
          || !Objects.equals(this.groupId, groupId);
    }

    /** Whether {@code other} would be written differently (ids or device key). */
    public boolean differsFrom(Written other) {
      return differsFrom(other.anonymousId, other.userId, other.groupId) || !Objects.equals(deviceKey, other.deviceKey);
    }

    /** How many of the ids are too large to be written in {@code format}. */
    public int tooLarge(Settings.CookieFormat format) {
      return tooLarge(anonymousId, format) + tooLarge(userId, format) + tooLarge(groupId, format);
    }

    private static int tooLarge(String id, Settings.CookieFormat format) {
      return id != null && CookieValueEncoder.encode(id, format).length() > MAX_VALUE_BYTES ? 1 : 0;
    }
  }

  public CookieWriter(Settings settings, Clock clock) {
    this.settings = settings;
    this.domains = CookieDomains.of(settings.cookieDomain());
    this.headers = new SetCookieHeader(clock);
  }

  /**
   * The {@code Set-Cookie} header values for {@code ids}: a cookie for each id that exists and fits, a
   * deletion for each cookie that went away (or is too large now), and the backup cookie with the
   * device key; without a device key (consent withdrawn) the backup cookie is deleted.
   *
   * @param held whether the browser may hold a cookie of that name (it sent one, or this response
   *     already set one), i.e. whether a missing id needs a deletion
   */
  public List<String> headers(ClientRequest client, Predicate<String> held, Written ids) {
    String domain = domains.domainFor(client.host());
    CookieAttributes readable = CookieAttributes.readable(settings, domain, client.isSecure());
    List<String> out = new ArrayList<>(4);
    String encodedAnonymousId = encode(ids.anonymousId());
    put(out, held, CookieHeader.ANONYMOUS_ID, encodedAnonymousId, readable);
    put(out, held, CookieHeader.USER_ID, encode(ids.userId()), readable);
    put(out, held, CookieHeader.GROUP_ID, encode(ids.groupId()), readable);
    if (!settings.backupCookie().isEmpty()) {
      CookieAttributes backup = CookieAttributes.backup(settings, domain, client.isSecure());
      if (ids.deviceKey() != null) {
        String id = encodedAnonymousId == null || encodedAnonymousId.length() > MAX_VALUE_BYTES ? "" : encodedAnonymousId;
        out.add(headers.set(settings.backupCookie(), BackupCookie.format(ids.deviceKey(), id), backup));
      } else if (held.test(settings.backupCookie())) {
        out.add(headers.delete(settings.backupCookie(), backup));
      }
    }
    return out;
  }

  /** The names of the cookies this writer owns. */
  public List<String> names() {
    return settings.backupCookie().isEmpty()
        ? List.of(CookieHeader.ANONYMOUS_ID, CookieHeader.USER_ID, CookieHeader.GROUP_ID)
        : List.of(CookieHeader.ANONYMOUS_ID, CookieHeader.USER_ID, CookieHeader.GROUP_ID, settings.backupCookie());
  }

  private String encode(String id) {
    return id == null ? null : CookieValueEncoder.encode(id, settings.cookieFormat());
  }

  private void put(List<String> out, Predicate<String> held, String name, String encoded, CookieAttributes attributes) {
    if (encoded != null && encoded.length() <= MAX_VALUE_BYTES) {
      out.add(headers.set(name, encoded, attributes));
    } else if (held.test(name)) {
      out.add(headers.delete(name, attributes));
    }
  }
}
