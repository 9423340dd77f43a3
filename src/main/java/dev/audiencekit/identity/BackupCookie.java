package dev.audiencekit.identity;

import dev.audiencekit.cookie.CookieValue;

/**
 * The value of the HttpOnly backup cookie: {@code <device key>.<anonymousId encoded as the readable
 * cookie is>}. The id part is empty when the id does not fit in a cookie. A value that does not start
 * with a device key and a dot is read as a bare anonymousId (as earlier versions wrote it), without a
 * key.
 *
 * @param deviceKey the browser's key, or {@code null}
 * @param anonymousId the decoded id; {@link CookieValue#ABSENT} when there is none
 */
public record BackupCookie(DeviceKey deviceKey, CookieValue anonymousId) {
  static final BackupCookie NONE = new BackupCookie(null, CookieValue.ABSENT);

  /** Reads a raw cookie value (as {@link dev.audiencekit.cookie.CookieHeader#raw} returns it). */
  public static BackupCookie parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return NONE;
    }
    DeviceKey key = DeviceKey.prefixOf(raw);
    if (key == null) {
      return new BackupCookie(null, CookieValue.decode(raw));
    }
    return new BackupCookie(key, CookieValue.decode(raw.substring(DeviceKey.LENGTH + 1)));
  }

  /** The raw cookie value for {@code key} and an already encoded id ({@code ""} for none). */
  public static String format(DeviceKey key, String encodedId) {
    return key.value() + "." + encodedId;
  }
}
