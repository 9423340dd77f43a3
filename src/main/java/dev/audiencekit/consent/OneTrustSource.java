package dev.audiencekit.consent;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieValue;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code consent=onetrust}: the {@code OptanonConsent} cookie that OneTrust's banner writes, a query
 * string such as {@code isGpcEnabled=0&…&groups=C0001%3A1%2CC0002%3A0&…} whose {@code groups} field
 * lists each group id with {@code 1} (granted) or {@code 0} (denied). {@code consent.categories} renames
 * group ids to category names; an unmapped group keeps its id. When several groups map to one category,
 * a denial wins.
 *
 * <p>Tolerant: entries that are not {@code <group id>:0} or {@code <group id>:1} are skipped (a skipped
 * category is not granted); a cookie longer than {@value ConsentCookies#MAX_LENGTH} characters, with a
 * malformed escape, without a {@code groups} field, with no readable entry or with more than
 * {@value Consent#MAX_CATEGORIES} categories is undecided. Note that OneTrust writes its cookie with the default groups of the
 * visitor's region before the visitor answers (denied where consent is opt-in, granted where it is
 * opt-out); those defaults are read as they are.
 */
final class OneTrustSource implements ConsentSource {
  static final String COOKIE = "OptanonConsent";
  private static final String FIELD = "groups";

  private final Map<String, String> categories;
  private final LongAdder unreadable;

  OneTrustSource(Map<String, String> categories, LongAdder unreadable) {
    this.categories = Map.copyOf(categories);
    this.unreadable = unreadable;
  }

  @Override
  public Consent read(HttpServletRequest request) {
    String raw = ConsentCookies.raw(request, COOKIE);
    if (raw == null || raw.isEmpty()) {
      return Consent.UNDECIDED;
    }
    Consent consent = parse(raw);
    if (!consent.isDecided()) {
      unreadable.increment();
    }
    return consent;
  }

  /** The consent in a raw {@code OptanonConsent} value; {@link Consent#UNDECIDED} when there is none. */
  Consent parse(String raw) {
    if (raw.length() > ConsentCookies.MAX_LENGTH) {
      return Consent.UNDECIDED;
    }
    String groups = field(raw);
    if (groups == null) {
      // Some sites store the whole query string encoded once more.
      String decoded = CookieValue.decodeText(raw);
      groups = decoded == null || decoded.equals(raw) ? null : field(decoded);
    }
    String list = groups == null ? null : CookieValue.decodeText(groups);
    return list == null ? Consent.UNDECIDED : groups(list);
  }

  /** The raw value of the first {@code groups=} field of a query string, or {@code null}. */
  private static String field(String query) {
    int start = 0;
    int n = query.length();
    while (start < n) {
      int end = query.indexOf('&', start);
      end = end < 0 ? n : end;
      if (query.startsWith(FIELD + "=", start) && start + FIELD.length() < end) {
        return query.substring(start + FIELD.length() + 1, end);
      }
      start = end + 1;
    }
    return null;
  }

  private Consent groups(String list) {
    TreeMap<String, Boolean> result = new TreeMap<>();
    int start = 0;
    int n = list.length();
    while (start < n) {
      int end = list.indexOf(',', start);
      end = end < 0 ? n : end;
      int colon = list.lastIndexOf(':', end - 1);
      if (colon > start && colon == end - 2) {
        char flag = list.charAt(end - 1);
        String group = list.substring(start, colon).strip();
        if ((flag == '0' || flag == '1') && isGroupId(group)) {
          String category = categories.getOrDefault(group, group);
          result.merge(category, flag == '1', Boolean::logicalAnd);
          if (result.size() > Consent.MAX_CATEGORIES) {
            return Consent.UNDECIDED;
          }
        }
      }
      start = end + 1;
    }
    return Consent.ofChecked(result);
  }

  private static boolean isGroupId(String id) {
    if (id.isEmpty() || id.length() > Settings.MAX_CATEGORY_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
