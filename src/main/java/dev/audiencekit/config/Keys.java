package dev.audiencekit.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The library's key material: the {@code secret} init-param, or a random key drawn once per boot when
 * none is configured. No part of it is ever handed out or printed; each use gets its own key derived
 * for its purpose ({@link #derive}), so a key learned from one use says nothing about the secret or
 * the other uses. Immutable and thread-safe.
 */
public final class Keys {
  /** The shortest secret accepted, in characters. */
  public static final int MIN_SECRET_LENGTH = 32;
  private static final String HMAC = "HmacSHA256";
  private static final Pattern PURPOSE = Pattern.compile("[a-z0-9][a-z0-9-]*");

  private final byte[] secret;
  private final boolean configured;

  private Keys(byte[] secret, boolean configured) {
    this.secret = secret;
    this.configured = configured;
  }

  /**
   * Keys from a configured secret.
   *
   * @throws IllegalArgumentException when it is shorter than {@link #MIN_SECRET_LENGTH} characters (the
   *                                  message does not contain the secret)
   */
  public static Keys of(String secret) {
    if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException("a secret needs at least " + MIN_SECRET_LENGTH + " characters");
    }
    return new Keys(secret.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Keys from 256 random bits: valid for this boot only. */
  public static Keys random() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new Keys(key, false);
  }

  /** Whether these keys come from a configured secret (else from a random per-boot key). */
  public boolean configured() {
    return configured;
  }

  /**
   * The 32-byte key for {@code purpose}: {@code HMAC-SHA-256(secret, "audiencekit <purpose> v1")}. The
   * same secret always gives the same key for a purpose; different purposes give unrelated keys.
   *
   * @param purpose lower-case letters, digits and {@code -}, e.g. {@code fingerprint}
   */
  public byte[] derive(String purpose) {
    if (purpose == null || !PURPOSE.matcher(purpose).matches()) {
      throw new IllegalArgumentException("not a key purpose: " + purpose);
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret, HMAC));
      return mac.doFinal(("audiencekit " + purpose + " v1").getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return configured ? "Keys[from secret]" : "Keys[random per boot]";
  }
}
