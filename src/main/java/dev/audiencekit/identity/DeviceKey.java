package dev.audiencekit.identity;

import dev.audiencekit.event.Uuids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What one browser holds that nobody else does: 128 random bits, minted by the server, kept only in the
 * HttpOnly backup cookie. The readable cookies are not secrets (every script on the page, every
 * analytics destination and every sibling subdomain can read or set them), so a stored identity is given
 * back only to a browser whose device key's {@link #hash()} is among the record's owners. The store
 * keeps the hash, never the key.
 */
public final class DeviceKey {
  /** Base64url characters of a key: 128 bits without padding. */
  public static final int LENGTH = 22;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final String value;
  private String hash;

  private DeviceKey(String value) {
    this.value = value;
  }

  /** A new key from a {@link java.security.SecureRandom}. */
  public static DeviceKey mint() {
    return new DeviceKey(BASE64URL.encodeToString(Uuids.secureBytes(16)));
  }

  /** The key at the start of {@code text}, when it begins with {@link #LENGTH} base64url characters and a dot. */
  static DeviceKey prefixOf(String text) {
    if (text == null || text.length() <= LENGTH || text.charAt(LENGTH) != '.') {
      return null;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (!isBase64Url(text.charAt(i))) {
        return null;
      }
    }
    // 22 characters carry 132 bits; the last one holds only the 2 high bits of the 16th byte.
    return new DeviceKey(text.substring(0, LENGTH));
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** The key as the backup cookie carries it. */
  public String value() {
    return value;
  }

  /** SHA-256 of the key, base64url (43 characters): what a record's owners list holds. */
  public String hash() {
    if (hash == null) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        hash = BASE64URL.encodeToString(digest);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java platform", e);
      }
    }
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceKey other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** Never the key itself: it is a credential. */
  @Override
  public String toString() {
    return "DeviceKey[…]";
  }
}
