package dev.audiencekit.consent;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.StringReader;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code consent=cookie:<name>}: a cookie written by the site's own banner holding a JSON object of
 * category name to boolean, {@code {"Analytics":true,"Advertising":false}}, URL-encoded (as
 * {@code encodeURIComponent} or js-cookie write it) or raw.
 *
 * <p>Tolerant: members whose value is not {@code true} or {@code false} (a banner's own {@code "version"}
 * or {@code "updatedAt"}, a nested object) are ignored, and so are names that are not category names; a
 * name given twice with different values is denied. The cookie is undecided when it is longer than
 * {@value ConsentCookies#MAX_LENGTH} characters, has a malformed escape, is not one JSON object, has no
 * boolean member, or has more than {@value Consent#MAX_CATEGORIES} of them.
 */
final class JsonCookieSource implements ConsentSource {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();
  /** Deepest nesting looked at inside the object; deeper is not a consent cookie. */
  private static final int MAX_DEPTH = 32;

  private final String name;
  private final LongAdder unreadable;

  JsonCookieSource(String name, LongAdder unreadable) {
    this.name = name;
    this.unreadable = unreadable;
  }

  String cookieName() {
    return name;
  }

  @Override
  public Consent read(HttpServletRequest request) {
    String raw = ConsentCookies.raw(request, name);
    if (raw == null || raw.isEmpty()) {
      return Consent.UNDECIDED;
    }
    Consent consent = parse(raw);
    if (!consent.isDecided()) {
      unreadable.increment();
    }
    return consent;
  }

  /** The consent in a raw cookie value; {@link Consent#UNDECIDED} when there is none. Never throws. */
  static Consent parse(String raw) {
    if (raw.length() > ConsentCookies.MAX_LENGTH) {
      return Consent.UNDECIDED;
    }
    String text = CookieValue.decodeText(raw);
    if (text == null) {
      return Consent.UNDECIDED;
    }
    try (JsonParser parser = JSON_P.createParser(new StringReader(text))) {
      return object(parser);
    } catch (RuntimeException e) {
      return Consent.UNDECIDED; // not JSON, or nested deeper than the parser allows
    }
  }

  private static Consent object(JsonParser parser) {
    if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
      return Consent.UNDECIDED;
    }
    TreeMap<String, Boolean> categories = new TreeMap<>();
    while (true) {
      JsonParser.Event event = parser.next();
      if (event == JsonParser.Event.END_OBJECT) {
        break;
      }
      String key = parser.getString(); // KEY_NAME: the parser allows nothing else here
      JsonParser.Event value = parser.next();
      switch (value) {
        case VALUE_TRUE, VALUE_FALSE -> {
          if (Settings.isCategory(key)) {
            categories.merge(key, value == JsonParser.Event.VALUE_TRUE, Boolean::logicalAnd);
            if (categories.size() > Consent.MAX_CATEGORIES) {
              return Consent.UNDECIDED;
            }
          }
        }
        case START_OBJECT, START_ARRAY -> skipNested(parser);
        default -> { } // a string, number or null: not a preference
      }
    }
    if (parser.hasNext()) {
      return Consent.UNDECIDED; // text after the object: not one JSON document
    }
    return Consent.ofChecked(categories);
  }

  /**
   * Skips the object or array just opened. Not {@code JsonParser.skipArray()}/{@code skipObject()}:
   * Parsson's loop forever on a structure that is never closed (eclipse-ee4j/parsson#23), and a cookie
   * is whatever the visitor sends. {@code next()} throws at the end of the text instead.
   */
  private static void skipNested(JsonParser parser) {
    int depth = 1;
    while (depth > 0) {
      switch (parser.next()) {
        case START_OBJECT, START_ARRAY -> {
          if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
          }
        }
        case END_OBJECT, END_ARRAY -> depth--;
        default -> { }
      }
    }
  }
}
