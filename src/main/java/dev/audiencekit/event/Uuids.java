package dev.audiencekit.event;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** UUID v4 generation: unguessable ones for identities, cheap ones for message ids. */
public final class Uuids {
  /**
   * Independent generators, picked by thread: one shared {@link SecureRandom} (NativePRNG on Linux)
   * serialises every new visitor's id and device key on one global lock and a read of
   * {@code /dev/urandom}; a thread holding it when its time slice ends stalls every other request
   * that mints. Each stripe is a DRBG seeded by the platform, locked only by the threads mapped to it.
   */
  private static final SecureRandom[] STRIPES = stripes(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

  private Uuids() {}

  /** A random UUID v4 from a {@link SecureRandom}, lower case, 36 characters. Identities use it. */
  public static String secure() {
    byte[] bytes = new byte[16];
    secure(bytes);
    return format(bytes);
  }

  /** {@code n} bytes from the same generators: device keys use it. */
  public static byte[] secureBytes(int n) {
    byte[] bytes = new byte[n];
    secure(bytes);
    return bytes;
  }

  private static void secure(byte[] bytes) {
    STRIPES[(int) (Thread.currentThread().getId() % STRIPES.length)].nextBytes(bytes);
  }

  private static SecureRandom[] stripes(int n) {
    SecureRandom[] stripes = new SecureRandom[n];
    for (int i = 0; i < n; i++) {
      stripes[i] = drbg();
    }
    return stripes;
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom(); // a platform without DRBG: its default generator
    }
  }

  /** A random UUID v4 from {@link ThreadLocalRandom}: unique, not secret. Message ids use it. */
  public static String fast() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  private static String format(byte[] b) {
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    long most = 0;
    long least = 0;
    for (int i = 0; i < 8; i++) {
      most = (most << 8) | (b[i] & 0xff);
      least = (least << 8) | (b[i + 8] & 0xff);
    }
    return new UUID(most, least).toString();
  }
}
