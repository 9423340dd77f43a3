package dev.audiencekit.cookie;

import java.util.Enumeration;
import java.util.Iterator;

/**
 * The identity cookies of one request, read from the raw {@code Cookie} request header(s), not from
 * the container's cookie parsing (which differs between containers and drops values with quotes,
 * spaces or {@code =}).
 *
 * <p>Tolerant and bounded: pieces are split on {@code ;}, spaces and tabs around names and values are
 * trimmed, pieces without {@code =} or with an empty name are skipped, and the first occurrence of a
 * name wins (as js-cookie reads). Only the names this library uses are kept ({@link #STANDARD_NAMES}
 * and the configured backup cookie), so no string is allocated for other cookies. At most
 * {@link #MAX_TOTAL_CHARS} characters over all headers and {@link #MAX_PIECES} cookies are looked
 * at; the rest is ignored. Never throws on any input.
 */
public final class CookieHeader {
  public static final String ANONYMOUS_ID = "ajs_anonymous_id";
  public static final String USER_ID = "ajs_user_id";
  public static final String GROUP_ID = "ajs_group_id";
  /** Legacy analytics.js cookie with {@code {"id":…,"traits":…}}. */
  public static final String LEGACY_USER = "ajs_user";
  /** Legacy segment.io cookie {@code anon----user}. */
  public static final String LEGACY_SIO = "_sio";
  /** The names always kept, in this order. */
  public static final java.util.List<String> STANDARD_NAMES =
      java.util.List.of(ANONYMOUS_ID, USER_ID, GROUP_ID, LEGACY_USER, LEGACY_SIO);

  /** Characters read over all {@code Cookie} headers of a request (64 KiB). */
  public static final int MAX_TOTAL_CHARS = 64 * 1024;
  /** Cookies looked at in one request. */
  public static final int MAX_PIECES = 300;

  private static final CookieHeader EMPTY_NO_BACKUP = new CookieHeader(null);

  private final String[] names;
  private final String[] values;

  private CookieHeader(String backupName) {
    int n = STANDARD_NAMES.size();
    boolean withBackup = backupName != null && !backupName.isEmpty() && !STANDARD_NAMES.contains(backupName);
    names = STANDARD_NAMES.toArray(new String[n + (withBackup ? 1 : 0)]);
    if (withBackup) {
      names[n] = backupName;
    }
    values = new String[names.length];
  }

  /**
   * Parses the values of the {@code Cookie} request headers ({@code request.getHeaders("Cookie")}).
   *
   * @param headers the header values, may be {@code null}
   * @param backupName the backup cookie's name, {@code null} or empty when disabled
   */
  public static CookieHeader parse(Enumeration<String> headers, String backupName) {
    if (headers == null || !headers.hasMoreElements()) {
      return empty(backupName);
    }
    CookieHeader result = new CookieHeader(backupName);
    Budget budget = new Budget();
    try {
      while (headers.hasMoreElements() && budget.chars < MAX_TOTAL_CHARS && budget.pieces < MAX_PIECES) {
        result.scan(headers.nextElement(), budget);
      }
    } catch (RuntimeException e) {
      // A broken Enumeration from a container: keep what was read.
    }
    return result;
  }

  /** Parses header values given as an {@link Iterable}. */
  public static CookieHeader parse(Iterable<String> headers, String backupName) {
    CookieHeader result = new CookieHeader(backupName);
    if (headers == null) {
      return result;
    }
    Budget budget = new Budget();
    Iterator<String> it = headers.iterator();
    while (it.hasNext() && budget.chars < MAX_TOTAL_CHARS && budget.pieces < MAX_PIECES) {
      result.scan(it.next(), budget);
    }
    return result;
  }

  /** Parses one header value. */
  public static CookieHeader parse(String header, String backupName) {
    CookieHeader result = new CookieHeader(backupName);
    result.scan(header, new Budget());
    return result;
  }

  private static CookieHeader empty(String backupName) {
    return backupName == null || backupName.isEmpty() ? EMPTY_NO_BACKUP : new CookieHeader(backupName);
  }

  private static final class Budget {
    int chars;
    int pieces;
  }

  private void scan(String header, Budget budget) {
    if (header == null) {
      return;
    }
    int limit = Math.min(header.length(), MAX_TOTAL_CHARS - budget.chars);
    budget.chars += limit;
    int i = 0;
    while (i < limit && budget.pieces < MAX_PIECES) {
      int end = indexOf(header, ';', i, limit);
      budget.pieces++;
      piece(header, i, end);
      i = end + 1;
    }
  }

  private void piece(String h, int start, int end) {
    int eq = indexOf(h, '=', start, end);
    if (eq == end) {
      return;
    }
    int nameStart = skipBlank(h, start, eq);
    int nameEnd = trimBlank(h, nameStart, eq);
    int length = nameEnd - nameStart;
    if (length == 0) {
      return;
    }
    for (int k = 0; k < names.length; k++) {
      String name = names[k];
      if (name.length() == length && values[k] == null && h.startsWith(name, nameStart)) {
        int valueStart = skipBlank(h, eq + 1, end);
        values[k] = h.substring(valueStart, trimBlank(h, valueStart, end));
        return;
      }
    }
  }

  /** The index of {@code c} in {@code s[from, to)}, or {@code to}; never looks past {@code to}. */
  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return to;
  }

  private static int skipBlank(String s, int i, int end) {
    while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static int trimBlank(String s, int start, int end) {
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return end;
  }

  /** The raw value of the first cookie with this name, or {@code null}; only kept names are known. */
  public String raw(String name) {
    for (int k = 0; k < names.length; k++) {
      if (names[k].equals(name)) {
        return values[k];
      }
    }
    return null;
  }

  /** The decoded id in the cookie with this name (see {@link CookieValue#decode}). */
  public CookieValue id(String name) {
    return CookieValue.decode(raw(name));
  }

  /** True when none of the kept cookies was sent. */
  public boolean isEmpty() {
    for (String v : values) {
      if (v != null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CookieHeader{");
    for (int k = 0; k < names.length; k++) {
      if (values[k] != null) {
        sb.append(names[k]).append('=').append(values[k]).append(' ');
      }
    }
    return sb.append('}').toString();
  }
}
