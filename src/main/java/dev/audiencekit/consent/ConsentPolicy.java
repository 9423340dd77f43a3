package dev.audiencekit.consent;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieAttributes;
import dev.audiencekit.cookie.SetCookieHeader;
import dev.audiencekit.event.ConsentJson;
import dev.audiencekit.metrics.Metrics;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * The consent rules of one filter instance: reads a request's consent from the configured
 * {@link ConsentSource}, applies {@code consent.gpcDenies} and {@code consent.required}, compares with
 * the visitor's previous consent, and writes the two consent cookies. Immutable and thread-safe.
 *
 * <p>Per request: {@link #evaluate(HttpServletRequest)} once, before identity resolution;
 * {@link #decide} when the application records a decision; at commit, {@link #markCookie} (and, after
 * a decision by the application, {@link #sourceCookie}).
 */
public final class ConsentPolicy {
  /** The HttpOnly cookie holding the mark of the visitor's last consent. */
  public static final String MARK_COOKIE = Settings.CONSENT_MARK_COOKIE;
  /** Lifetime of the cookie written for {@code cookie:<name>} sources by {@link #sourceCookie}. */
  static final long SOURCE_COOKIE_MAX_AGE_DAYS = 365;
  /** Longest encoded value of that cookie, leaving room for its attributes within a {@code Set-Cookie} header. */
  static final int MAX_SOURCE_COOKIE_VALUE = 3_584;

  private final ConsentSource source;
  private final String sourceCookieName;
  private final String required;
  private final String gpcDenies;
  private final Settings.ConsentBefore before;
  private final SetCookieHeader headers;

  ConsentPolicy(Settings settings, ConsentSource source, Clock clock) {
    this.source = source;
    this.sourceCookieName = settings.consent() == Settings.ConsentKind.COOKIE ? settings.consentName() : null;
    this.required = settings.consentRequired();
    this.gpcDenies = settings.consentGpcDenies();
    this.before = settings.consentBefore();
    this.headers = new SetCookieHeader(clock);
  }

  /**
   * The policy of a filter's settings; under {@code consent=none} one that is {@linkplain #isEnabled()
   * disabled} and answers {@link ConsentState#OFF} for every request.
   *
   * @throws dev.audiencekit.config.InvalidSettingException naming {@code consent} when a source class
   *     cannot be loaded or constructed
   */
  public static ConsentPolicy create(Settings settings, Metrics metrics, Clock clock) {
    return new ConsentPolicy(settings, ConsentSources.create(settings, metrics, clock), clock);
  }

  /** Whether consent is configured ({@code consent} is not {@code none}). */
  public boolean isEnabled() {
    return source != null;
  }

  /** {@code consent.required}, or {@code null} when nothing waits for consent. */
  public String required() {
    return required;
  }

  /** {@code consent.before}: what happens to events until the required category is granted. */
  public Settings.ConsentBefore before() {
    return before;
  }

  /** The request's consent, compared with the mark in its {@code ak_consent} cookie. Never throws. */
  public ConsentState evaluate(HttpServletRequest request) {
    if (!isEnabled()) {
      return ConsentState.OFF;
    }
    return evaluate(request, ConsentCookies.raw(request, MARK_COOKIE));
  }

  /**
   * The request's consent, compared with {@code previousMark} (from the {@code ak_consent} cookie or
   * wherever the previous {@link ConsentState#mark()} was kept). Never throws.
   *
   * @param previousMark the previous mark; {@code null} or malformed means no previous consent
   */
  public ConsentState evaluate(HttpServletRequest request, String previousMark) {
    if (!isEnabled()) {
      return ConsentState.OFF;
    }
    boolean gpc = gpcDenies != null && isOne(headerOrNull(request, "Sec-GPC"));
    return state(source.read(request), gpc, ConsentMark.parse(previousMark), false);
  }

  /**
   * A decision the application recorded during the request ({@code AnalyticsContext.consent(Map)}): the
   * new state, compared with what {@code current} holds, so that a change is reported once. GPC still
   * applies. An empty map withdraws the decision.
   *
   * @throws IllegalArgumentException naming the key when a category name or value is not accepted
   * @throws IllegalStateException under {@code consent=none}
   */
  public ConsentState decide(ConsentState current, Map<String, Boolean> categoryPreferences) {
    if (!isEnabled() || current.policy() != this) {
      throw new IllegalStateException("consent is not configured: set the init-param consent (onetrust, "
          + "cookie:<name> or a class name) to record consent decisions");
    }
    Consent consent = Consent.of(categoryPreferences);
    if (sourceCookieName != null && encodedJson(consent).length() > MAX_SOURCE_COOKIE_VALUE) {
      throw new IllegalArgumentException("categoryPreferences would not fit in the " + sourceCookieName
          + " cookie (" + encodedJson(consent).length() + " characters encoded, at most "
          + MAX_SOURCE_COOKIE_VALUE + "); use fewer or shorter category names");
    }
    return state(consent, current.gpc(), current.mark(), true);
  }

  /** The pure decision: {@code consent} as the source gave it, before GPC. */
  ConsentState state(Consent consent, boolean gpc, String previousMark, boolean byApplication) {
    Consent effective = gpc && gpcDenies != null ? consent.deny(gpcDenies) : consent;
    return new ConsentState(this, effective, gpc, previousMark, byApplication);
  }

  /**
   * The {@code Set-Cookie} value for the {@code ak_consent} cookie after this request, or {@code null}
   * when nothing is to be written: the mark when the visitor has decided, a deletion when the visitor
   * had decided before and has not now.
   *
   * @param attributes those of the backup cookie ({@code HttpOnly}, its {@code Domain}, {@code Secure},
   *     {@code SameSite} and lifetime)
   */
  public String markCookie(ConsentState state, CookieAttributes attributes) {
    if (!state.isEnabled()) {
      return null;
    }
    if (state.mark() != null) {
      return headers.set(MARK_COOKIE, state.mark(), httpOnly(attributes));
    }
    return state.previousMark() != null ? headers.delete(MARK_COOKIE, httpOnly(attributes)) : null;
  }

  /**
   * The {@code Set-Cookie} value that stores a decision made by the application in the source's own
   * cookie, or {@code null}. Only {@code cookie:<name>} sources have a cookie the server can write: the
   * URL-encoded JSON object, readable by the site's banner script (not {@code HttpOnly}), {@code Path=/},
   * 365 days, with the {@code Domain}, {@code SameSite} and {@code Secure} of the readable analytics.js
   * cookies; an empty decision deletes it. A banner that writes the same cookie must use the same
   * {@code Path} and {@code Domain}, or the browser keeps two. For {@code onetrust} and custom sources,
   * and for a consent read from the request, a decision applies to this request only: {@code null}.
   *
   * @param attributes those of the readable {@code ajs_*} cookies
   */
  public String sourceCookie(ConsentState state, CookieAttributes attributes) {
    if (sourceCookieName == null || !state.isByApplication() || state.policy() != this) {
      return null;
    }
    CookieAttributes readable = new CookieAttributes(attributes.domain(), SOURCE_COOKIE_MAX_AGE_DAYS * 86_400L,
        attributes.sameSite(), attributes.secure(), false);
    if (!state.isDecided()) {
      return headers.delete(sourceCookieName, readable);
    }
    return headers.set(sourceCookieName, encodedJson(state.consent()), readable);
  }

  /** {@code encodeURIComponent(JSON.stringify(preferences))}: what a banner reads back with {@code JSON.parse}. */
  static String encodedJson(Consent consent) {
    return URLEncoder.encode(ConsentJson.categoryPreferences(consent.categoryPreferences()), StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static CookieAttributes httpOnly(CookieAttributes a) {
    return a.httpOnly() ? a : new CookieAttributes(a.domain(), a.maxAgeSeconds(), a.sameSite(), a.secure(), true);
  }

  private static String headerOrNull(HttpServletRequest request, String name) {
    try {
      return request.getHeader(name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean isOne(String value) {
    return value != null && value.trim().equals("1");
  }
}
