package dev.audiencekit.cookie;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Builds {@code Set-Cookie} header values by hand, so that every attribute (including
 * {@code SameSite}) is written the same way on every container:
 *
 * <pre>name=value; Path=/; Max-Age=31536000; Expires=Thu, 01 Jan 2026 00:00:00 GMT; Domain=example.com; SameSite=Lax; Secure; HttpOnly</pre>
 *
 * <p>The writer validates: a name must be an RFC 7230 token, a value only RFC 6265 cookie-octets
 * (so no CR, LF, {@code ;}, {@code ,}, space, {@code "} or {@code \} can ever be emitted), and the
 * whole header must stay under {@link #MAX_BYTES}; anything else is an
 * {@link IllegalArgumentException}. {@code Expires} comes from the injected {@link Clock}.
 * Instances are immutable and thread-safe.
 */
public final class SetCookieHeader {
  /** Every header is shorter than this many bytes (browsers drop larger cookies). */
  public static final int MAX_BYTES = 4096;
  /** The {@code Expires} of a deletion. */
  public static final String EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTHS =
      {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  private final Clock clock;
  /**
   * The last {@code Expires} text per lifetime: every response writes the same two or three dates
   * within a second, so they are formatted once a second rather than per cookie. Entries are immutable
   * and replaced whole, so the unsynchronised array is safe (at worst a date is formatted twice).
   */
  private final Expiry[] expiries = new Expiry[4];

  private record Expiry(long maxAge, long epochSecond, String text) {}

  public SetCookieHeader(Clock clock) {
    if (clock == null) {
      throw new IllegalArgumentException("clock must not be null");
    }
    this.clock = clock;
  }

  /**
   * A header that sets {@code name} to the already encoded {@code value} (see {@link CookieValueEncoder}).
   *
   * @throws IllegalArgumentException when name or value contain characters a cookie cannot hold, or
   *     the header would reach {@link #MAX_BYTES}
   */
  public String set(String name, String value, CookieAttributes attributes) {
    long maxAge = attributes.maxAgeSeconds();
    long expiresAt = Math.addExact(clock.millis() / 1000, maxAge);
    return build(name, value, maxAge, expires(maxAge, expiresAt), attributes);
  }

  private String expires(long maxAge, long expiresAt) {
    int free = -1;
    for (int i = 0; i < expiries.length; i++) {
      Expiry e = expiries[i];
      if (e == null) {
        free = free < 0 ? i : free;
      } else if (e.maxAge == maxAge) {
        if (e.epochSecond == expiresAt) {
          return e.text;
        }
        free = i;
      }
    }
    String text = httpDate(expiresAt);
    expiries[free < 0 ? (int) (Math.floorMod(maxAge, expiries.length)) : free] = new Expiry(maxAge, expiresAt, text);
    return text;
  }

  /**
   * A header that deletes {@code name}: empty value, {@code Max-Age=0}, {@code Expires} in 1970, the
   * same {@code Path}, {@code Domain} and other attributes as when it was set.
   */
  public String delete(String name, CookieAttributes attributes) {
    return build(name, "", 0, EPOCH, attributes);
  }

  private static String build(String name, String value, long maxAge, String expires, CookieAttributes a) {
    requireToken(name);
    requireCookieOctets(name, value);
    // One string concatenation: the JDK sizes the result exactly and allocates it once (a
    // StringBuilder allocated its buffer and then a copy, twice the bytes on every response).
    boolean hasDomain = a.domain() != null;
    String header = name + "=" + value + "; Path=/; Max-Age=" + maxAge + "; Expires=" + expires
        + (hasDomain ? "; Domain=" : "") + (hasDomain ? a.domain() : "") + "; SameSite=" + a.sameSite().attribute()
        + (a.secure() ? "; Secure" : "") + (a.httpOnly() ? "; HttpOnly" : "");
    if (header.length() >= MAX_BYTES) { // ASCII only, so characters are bytes
      throw new IllegalArgumentException("Set-Cookie for " + name + " would be " + header.length()
          + " bytes; it must stay under " + MAX_BYTES);
    }
    return header;
  }

  private static void requireToken(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("cookie name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        throw new IllegalArgumentException("cookie name has a character a token cannot hold at index " + i);
      }
    }
  }

  private static void requireCookieOctets(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException("value of cookie " + name + " must not be null");
    }
    for (int i = 0; i < value.length(); i++) {
      if (!isCookieOctet(value.charAt(i))) {
        throw new IllegalArgumentException("value of cookie " + name
            + " has a character that is not a cookie-octet at index " + i);
      }
    }
  }

  /** RFC 6265 cookie-octet: {@code %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E}. */
  static boolean isCookieOctet(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a)
        || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
  }

  /** IMF-fixdate (RFC 9110), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
  static String httpDate(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(29);
    sb.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
    two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
    int year = t.getYear();
    sb.append(year < 1000 ? String.format("%04d", year) : Integer.toString(year)).append(' ');
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond());
    return sb.append(" GMT").toString();
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
