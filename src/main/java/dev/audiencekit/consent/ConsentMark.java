package dev.audiencekit.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The value of the HttpOnly {@code ak_consent} cookie: what the server needs to know about a visitor's
 * previous consent without keeping the consent itself. {@code 1.} or {@code 0.} (whether the required
 * category was granted, so identity was allowed) followed by 16 base64url characters, the first 96 bits
 * of the SHA-256 of the canonical {@code categoryPreferences} JSON (names sorted). Example:
 * {@code 1.Qm9Wl2Hq8bYJd0Ve}. It holds no identifier: every visitor with the same choice has the same
 * value.
 */
final class ConsentMark {
  private static final int HASH_CHARS = 16;
  private static final int LENGTH = 2 + HASH_CHARS;

  private ConsentMark() {}

  /** The mark of a decided consent whose canonical preferences JSON is {@code preferencesJson}. */
  static String of(boolean granted, String preferencesJson) {
    byte[] digest = sha256().digest(preferencesJson.getBytes(StandardCharsets.UTF_8));
    String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    return (granted ? "1." : "0.") + hash.substring(0, HASH_CHARS);
  }

  /** {@code raw} when it is a well-formed mark, else {@code null} (a garbage cookie is no previous consent). */
  static String parse(String raw) {
    if (raw == null || raw.length() != LENGTH || (raw.charAt(0) != '0' && raw.charAt(0) != '1')
        || raw.charAt(1) != '.') {
      return null;
    }
    for (int i = 2; i < LENGTH; i++) {
      char c = raw.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return null;
      }
    }
    return raw;
  }

  /** Whether identity was allowed when the mark was written. */
  static boolean granted(String mark) {
    return mark != null && mark.charAt(0) == '1';
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
