package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.config.Settings.CookieFormat;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cookie codec on 100,000+ seeded random inputs each: the reader never throws and every id it
 * accepts is a valid id that the writer encodes into cookie-octets and reads back unchanged; the
 * writer round-trips every valid id in both formats. The slowest input is measured and printed (never
 * asserted: wall-clock time is not a test result).
 */
class CookieCodecFuzzTest {
  private static final int INPUTS = 120_000;
  private static final String BACKUP = "ak_anonymous_id";
  private static final String[] NAMES = {"ajs_anonymous_id", "ajs_user_id", "ajs_group_id", "ajs_user", "_sio",
      BACKUP, "other", "ajs_anonymous_idx", " ajs_anonymous_id"};
  private static final String[] FRAGMENTS = {"%", "%2", "%22", "%25", "%C3%A9", "%E0%A4", "%F0%9F%98%80", "%ED%A0%80",
      "%C0%80", "%0D%0A", "%00", "\"", "\\", "\\u0000", "\\ud83d", "\\ude00", "[", "]", "{", "}", ":", ",", ";", "=",
      " ", "\t", "null", "true", "1e3", "-0", "----", "{\"id\":", "\"traits\":", "é", "\uD83D\uDE00", "\uD800",
      "\u0000", "\u007f", "\u0085", "\u2028", "+", "a", "0"};

  @Test
  void readerNeverThrowsAndEveryAcceptedIdRoundTrips() {
    Random random = new Random(0xC0DEC_F022L);
    long slowest = 0;
    String slowestInput = "";
    int present = 0;
    long total = 0;
    for (int i = 0; i < INPUTS; i++) {
      String header = header(random);
      long started = System.nanoTime();
      CookieHeader cookies = CookieHeader.parse(header, BACKUP);
      CookieValue[] ids = {cookies.id(CookieHeader.ANONYMOUS_ID), cookies.id(CookieHeader.USER_ID),
          cookies.id(CookieHeader.GROUP_ID), cookies.id(BACKUP),
          LegacyCookies.sioAnonymousId(cookies.raw(CookieHeader.LEGACY_SIO)), CookieValue.decode(header)};
      LegacyCookies.LegacyUser legacy = LegacyCookies.user(cookies.raw(CookieHeader.LEGACY_USER));
      long took = System.nanoTime() - started;
      total += took;
      if (took > slowest) {
        slowest = took;
        slowestInput = header.length() > 80 ? header.substring(0, 80) + "… (" + header.length() + " chars)" : header;
      }
      for (CookieValue id : ids) {
        if (id.isPresent()) {
          present++;
          assertRoundTrips(id.value(), header);
        }
      }
      if (legacy != null && legacy.userId() != null) {
        assertRoundTrips(legacy.userId(), header);
      }
    }
    System.out.printf("cookie reader: %,d headers, %,d ids accepted, mean %,d ns, slowest %,d µs for %s%n", INPUTS,
        present, total / INPUTS, slowest / 1_000, slowestInput);
    assertThat(present).as("the generator also produces readable ids").isGreaterThan(INPUTS / 20);
  }

  @Test
  void writerRoundTripsEveryValidIdInBothFormats() {
    Random random = new Random(0x1D5L);
    long slowest = 0;
    int written = 0;
    for (int i = 0; i < INPUTS; i++) {
      String id = id(random);
      if (!CookieValue.isValidId(id)) {
        continue;
      }
      long started = System.nanoTime();
      String next = CookieValueEncoder.encode(id, CookieFormat.NEXT);
      String classic = CookieValueEncoder.encode(id, CookieFormat.CLASSIC);
      CookieValue nextBack = CookieValue.decode(next);
      CookieValue classicBack = CookieValue.decode(classic);
      slowest = Math.max(slowest, System.nanoTime() - started);
      if (!id.equals(nextBack.value()) || !id.equals(classicBack.value())) {
        throw new AssertionError("id " + id + " written as " + next + " / " + classic + " reads back as "
            + nextBack + " / " + classicBack);
      }
      assertOnlyCookieOctets(next, id);
      assertOnlyCookieOctets(classic, id);
      written++;
    }
    System.out.printf("cookie writer: %,d valid ids round-tripped in both formats, slowest %,d µs%n", written,
        slowest / 1_000);
    assertThat(written).isGreaterThan(INPUTS / 2);
  }

  @Test
  void writerRefusesEveryInvalidId() {
    Random random = new Random(0xBAD1DL);
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      String id = id(random) + (char) random.nextInt(0x20);
      if (random.nextBoolean()) {
        id = id + "x".repeat(257);
      }
      String invalid = id;
      for (CookieFormat format : CookieFormat.values()) {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
            .isThrownBy(() -> CookieValueEncoder.encode(invalid, format));
      }
      refused++;
    }
    assertThat(refused).isEqualTo(20_000);
  }

  private static void assertRoundTrips(String id, String input) {
    if (!CookieValue.isValidId(id)) {
      throw new AssertionError("accepted an invalid id " + id + " from " + input);
    }
    String encoded = CookieValueEncoder.encodeNext(id);
    assertOnlyCookieOctets(encoded, id);
    String back = CookieHeader.parse(CookieHeader.ANONYMOUS_ID + "=" + encoded, BACKUP).id(CookieHeader.ANONYMOUS_ID)
        .value();
    if (!id.equals(back)) {
      throw new AssertionError("id " + id + " (from " + input + ") written as " + encoded + " reads back as " + back);
    }
  }

  private static void assertOnlyCookieOctets(String encoded, String id) {
    for (int i = 0; i < encoded.length(); i++) {
      if (!SetCookieHeader.isCookieOctet(encoded.charAt(i))) {
        throw new AssertionError("character " + i + " of " + encoded + " (for " + id + ") is not a cookie-octet");
      }
    }
  }

  /** A Cookie header of 0 to ~40 pieces, each name from a list and a value of random fragments and bytes. */
  private static String header(Random random) {
    int style = random.nextInt(10);
    if (style == 0) {
      return bytes(random, random.nextInt(300));
    }
    if (style == 1) {
      return value(random, 20);
    }
    StringBuilder sb = new StringBuilder();
    int pieces = 1 + random.nextInt(style == 2 ? 400 : 6);
    for (int i = 0; i < pieces; i++) {
      if (i > 0) {
        sb.append(random.nextInt(5) == 0 ? ";" : "; ");
      }
      sb.append(NAMES[random.nextInt(NAMES.length)]).append(random.nextInt(20) == 0 ? "" : "=");
      sb.append(value(random, style == 3 ? 400 : 12));
    }
    return sb.toString();
  }

  private static String value(Random random, int maxParts) {
    StringBuilder sb = new StringBuilder();
    if (random.nextInt(4) == 0) {
      sb.append('"');
    }
    int parts = random.nextInt(maxParts + 1);
    for (int i = 0; i < parts; i++) {
      switch (random.nextInt(6)) {
        case 0 -> sb.append(bytes(random, 1 + random.nextInt(8)));
        case 1 -> sb.append(new java.util.UUID(random.nextLong(), random.nextLong()));
        case 2 -> sb.append(percentEncodedUtf8(random));
        default -> sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
    }
    if (random.nextInt(4) == 0) {
      sb.append('"');
    }
    return sb.toString();
  }

  private static String percentEncodedUtf8(Random random) {
    StringBuilder text = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
      text.appendCodePoint(random.nextInt(0x110000));
    }
    StringBuilder out = new StringBuilder();
    for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
      out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 15, 16)))
          .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
    }
    return out.toString();
  }

  private static String bytes(Random random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000));
    }
    return sb.toString();
  }

  /** Random ids: ASCII, JSON look-alikes, quotes, separators, non-ASCII, emoji, up to 256 chars. */
  private static String id(Random random) {
    StringBuilder sb = new StringBuilder();
    int kind = random.nextInt(5);
    int n = kind == 0 ? 256 : 1 + random.nextInt(kind == 1 ? 256 : 24);
    while (sb.length() < n) {
      switch (random.nextInt(kind == 2 ? 2 : 6)) {
        case 0 -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000 - 0x10000));
        case 1 -> sb.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        case 2 -> sb.append((char) (0x20 + random.nextInt(0x5f)));
        case 3 -> sb.append((char) (0xa0 + random.nextInt(0xd7ff - 0xa0)));
        default -> sb.append("abcdefghij0123456789-_.@+".charAt(random.nextInt(25)));
      }
    }
    String s = sb.toString();
    return s.length() > 256 ? s.substring(0, random.nextInt(257)) : s;
  }
}
