package dev.audiencekit.cookie;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Readers for the cookies of older analytics.js versions, used only when the modern cookies are
 * missing (SPEC §4): {@code _sio} ({@code anon----user}) and {@code ajs_user}
 * ({@code {"id":…,"traits":{…}}}, raw or URL-encoded, with or without literal quotes).
 */
public final class LegacyCookies {
  private static final String SIO_SEPARATOR = "----";
  /** Legacy traits longer than this (as JSON text, 4,096 bytes at most in any cookie) are ignored. */
  public static final int MAX_TRAITS_CHARS = 4096;

  private LegacyCookies() {}

  /** The userId and traits of a legacy {@code ajs_user} cookie; {@code userId} may be null. */
  public record LegacyUser(String userId, JsonObject traits) {
    public LegacyUser {
      traits = traits == null ? JsonValue.EMPTY_JSON_OBJECT : traits;
    }
  }

  /**
   * The anonymous half of a {@code _sio} cookie value, decoded as any id cookie is.
   * {@code ABSENT} when the cookie is missing or the half is empty.
   */
  public static CookieValue sioAnonymousId(String raw) {
    CookieValue whole = CookieValue.decode(raw);
    if (!whole.isPresent()) {
      return whole;
    }
    String value = whole.value();
    int sep = value.indexOf(SIO_SEPARATOR);
    if (sep < 0) {
      return whole;
    }
    return sep == 0 ? CookieValue.ABSENT : CookieValue.present(value.substring(0, sep));
  }

  /**
   * Reads a legacy {@code ajs_user} cookie value. Returns {@code null} when it is missing or is not a
   * JSON object; an {@code id} that is not a valid id (or missing) gives a null userId, a
   * {@code traits} member that is not an object gives empty traits. Never throws.
   */
  public static LegacyUser user(String raw) {
    // Traits over MAX_TRAITS_CHARS are ignored: legacy cookies are read for the request, not trusted.
    String text = CookieValue.decodeText(raw);
    if (text == null || text.indexOf('{') < 0) {
      return null;
    }
    JsonValue parsed = JsonText.parse(text);
    if (parsed == null || parsed.getValueType() != JsonValue.ValueType.OBJECT) {
      return null;
    }
    JsonObject object = parsed.asJsonObject();
    String userId = null;
    JsonValue id = object.get("id");
    if (id instanceof JsonString) {
      userId = ((JsonString) id).getString();
    } else if (id instanceof JsonNumber) {
      userId = JsonText.jsNumberToString(((JsonNumber) id).doubleValue());
    }
    if (userId != null && !CookieValue.isValidId(userId)) {
      userId = null;
    }
    JsonValue traits = object.get("traits");
    boolean usable = traits != null && traits.getValueType() == JsonValue.ValueType.OBJECT
        && traits.toString().length() <= MAX_TRAITS_CHARS;
    return new LegacyUser(userId, usable ? traits.asJsonObject() : null);
  }
}
