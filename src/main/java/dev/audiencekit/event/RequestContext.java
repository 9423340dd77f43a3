package dev.audiencekit.event;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import jakarta.json.spi.JsonProvider;

/**
 * What an event's {@code context} takes from the request: {@code ip}, {@code userAgent},
 * {@code locale}, {@code page}, {@code campaign} and {@code consent}. Built once per request, when its
 * first event is.
 *
 * @param ip        the client IP as configured by {@code ip} ({@code ""} when omitted)
 * @param userAgent the {@code User-Agent} header, or {@code null}
 * @param locale    the first {@code Accept-Language} tag, or {@code null}
 * @param path      the request path (context path included), as the client addressed it
 * @param url       the full URL with its query string, as the client addressed it
 * @param query     the raw query string, or {@code null}
 * @param referrer  the {@code Referer} header, or {@code ""}
 * @param consent   the JSON text of {@code context.consent} as {@link ConsentJson#context} writes it, or
 *                  {@code null} when consent is not configured (then events carry none)
 */
public record RequestContext(String ip, String userAgent, String locale, String path, String url,
    String query, String referrer, String consent) {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();


  static final int MAX_HEADER = 1024;

  public RequestContext {
    userAgent = clip(userAgent);
    referrer = referrer == null ? "" : clip(referrer);
  }

  /** A request context without consent (consent not configured). */
  public RequestContext(String ip, String userAgent, String locale, String path, String url, String query,
      String referrer) {
    this(ip, userAgent, locale, path, url, query, referrer, null);
  }

  /**
   * The same request context with another {@code context.consent}: the visitor's consent as it stands,
   * e.g. after a decision made during the request.
   *
   * @param consent JSON text from {@link ConsentJson#context}, or {@code null} for none
   */
  public RequestContext withConsent(String consent) {
    return java.util.Objects.equals(consent, this.consent) ? this
        : new RequestContext(ip, userAgent, locale, path, url, query, referrer, consent);
  }

  private static String clip(String value) {
    return value == null || value.length() <= MAX_HEADER ? value : value.substring(0, MAX_HEADER);
  }

  /** {@code "?" + query}, or {@code ""}. */
  public String search() {
    return query == null || query.isEmpty() ? "" : "?" + query;
  }

  /** Appends the page object's JSON text: {@code path}, {@code referrer}, {@code search}, {@code url}. */
  void appendPage(StringBuilder out) {
    out.append("{\"path\":");
    JsonStrings.append(out, path);
    out.append(",\"referrer\":");
    JsonStrings.append(out, referrer);
    out.append(",\"search\":");
    JsonStrings.append(out, search());
    out.append(",\"url\":");
    JsonStrings.append(out, url);
    out.append('}');
  }


  /**
   * The {@code utm_*} parameters of the query as analytics.js reads them: {@code utm_campaign} becomes
   * {@code name}, every other {@code utm_x} becomes {@code x}; values are form-decoded, the last of a
   * repeated key wins. {@code null} when the query has none.
   */
  public JsonObject campaign() {
    if (query == null || !query.contains("utm_")) {
      return null;
    }
    JsonObjectBuilder campaign = null;
    for (String part : query.replace('?', '&').split("&")) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? part : part.substring(0, eq);
      int at = key.indexOf("utm_");
      if (at < 0 || key.length() <= at + 4) {
        continue;
      }
      String name = key.substring(at + 4);
      if (name.equals("campaign")) {
        name = "name";
      }
      String raw = eq < 0 ? "" : part.substring(eq + 1);
      int secondEq = raw.indexOf('=');
      if (secondEq >= 0) {
        raw = raw.substring(0, secondEq);
      }
      if (campaign == null) {
        campaign = JSON_P.createObjectBuilder();
      }
      campaign.add(name, formDecode(raw));
    }
    return campaign == null ? null : campaign.build();
  }

  /** {@code +} to space, then strict UTF-8 percent-decoding; the raw text when that fails. */
  static String formDecode(String raw) {
    String plus = raw.replace('+', ' ');
    if (plus.indexOf('%') < 0) {
      return plus;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(plus.length());
    for (int i = 0; i < plus.length(); i++) {
      char c = plus.charAt(i);
      if (c == '%') {
        if (i + 2 >= plus.length()) {
          return plus;
        }
        int hi = Character.digit(plus.charAt(i + 1), 16);
        int lo = Character.digit(plus.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return plus;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < plus.length()) {
          encoded = plus.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return plus;
    }
  }
}
