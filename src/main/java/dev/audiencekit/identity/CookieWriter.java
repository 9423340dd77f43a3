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
 * exist (sliding expiry), deletions for the ids that went away, and the HttpOnly backup cookie with the
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

  /** The identity a response was about to give the browser when its cookies were written. */
  public record Written(String anonymousId, String userId, String groupId, DeviceKey deviceKey, int tooLarge) {
    /** What the browser sent. */
    public static Written of(CookieHeader cookies, DeviceKey deviceKey) {
      return new Written(cookies.id(CookieHeader.ANONYMOUS_ID).value(), cookies.id(CookieHeader.USER_ID).value(),
          cookies.id(CookieHeader.GROUP_ID).value(), deviceKey, 0);
    }

    /** Whether the identity {@code (anonymousId, userId, groupId)} differs from what was written. */
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
   * @param deviceKey the browser's key for the backup cookie; {@code null} deletes it (consent withdrawn)
   */
  public Written write(HttpServletResponse response, ClientRequest client, CookieHeader incoming,
      String anonymousId, String userId, String groupId, DeviceKey deviceKey) {
    String domain = domains.domainFor(client.host());
    CookieAttributes readable = CookieAttributes.readable(settings, domain, client.isSecure());
    String encodedAnonymousId = encode(anonymousId);
    int tooLarge = put(response, incoming, CookieHeader.ANONYMOUS_ID, anonymousId, encodedAnonymousId, readable)
        + put(response, incoming, CookieHeader.USER_ID, userId, encode(userId), readable)
        + put(response, incoming, CookieHeader.GROUP_ID, groupId, encode(groupId), readable);
    if (!settings.backupCookie().isEmpty()) {
      CookieAttributes backup = CookieAttributes.backup(settings, domain, client.isSecure());
      if (deviceKey != null) {
        String id = encodedAnonymousId == null || encodedAnonymousId.length() > MAX_VALUE_BYTES ? "" : encodedAnonymousId;
        response.addHeader("Set-Cookie", headers.set(settings.backupCookie(), BackupCookie.format(deviceKey, id), backup));
      } else if (incoming.raw(settings.backupCookie()) != null) {
        response.addHeader("Set-Cookie", headers.delete(settings.backupCookie(), backup)); // consent withdrawn
      }
    }
    return new Written(anonymousId, userId, groupId, deviceKey, tooLarge);
  }

  private String encode(String id) {
    return id == null ? null : CookieValueEncoder.encode(id, settings.cookieFormat());
  }

  /** Writes or deletes one readable cookie; returns 1 when the id was too large to be written. */
  private int put(HttpServletResponse response, CookieHeader incoming, String name, String id, String encoded,
      CookieAttributes attributes) {
    boolean fits = encoded != null && encoded.length() <= MAX_VALUE_BYTES;
    if (fits) {
      response.addHeader("Set-Cookie", headers.set(name, encoded, attributes));
    } else if (incoming.raw(name) != null) {
      response.addHeader("Set-Cookie", headers.delete(name, attributes));
    }
    return id != null && !fits ? 1 : 0;
  }
}
