package dev.audiencekit.consent;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Where a visitor's consent comes from: reads the request and answers with the visitor's category
 * preferences, or {@link Consent#UNDECIDED}.
 *
 * <p>The filter asks once per request, on the request thread, before it resolves the identity (so the
 * answer decides whether cookies are written at all). Many requests ask at the same time, so an
 * implementation must be thread-safe, and it should be fast: it reads the request's headers and
 * cookies, it does not call a remote service. It must not throw and must not return {@code null}; if it
 * does anyway, the request is treated as undecided, the failure is counted and logged (at most once a
 * minute), and the request carries on.
 *
 * <p>Whatever the request sends is client input: an unreadable, oversized or malformed value is
 * {@link Consent#UNDECIDED}, never an error.
 *
 * <p>A class named in the {@code consent} init-param must implement this interface and have a public
 * constructor taking {@code (dev.audiencekit.config.Settings)} or no arguments. Example:
 *
 * <pre>{@code
 * public final class SessionConsent implements ConsentSource {
 *   public Consent read(HttpServletRequest request) {
 *     HttpSession session = request.getSession(false);
 *     Object choice = session == null ? null : session.getAttribute("consent");
 *     return choice instanceof Map<?, ?> map ? Consent.of((Map<String, Boolean>) map) : Consent.UNDECIDED;
 *   }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ConsentSource {

  /** The visitor's consent as this request shows it; {@link Consent#UNDECIDED} when there is none. */
  Consent read(HttpServletRequest request);
}
