package dev.audiencekit.privacy;

import jakarta.servlet.http.HttpServletRequest;

/** The browser's privacy opt-out signals that {@code privacy.gpc} acts on. */
public final class PrivacySignals {
  private PrivacySignals() {}

  /**
   * True when the request carries Global Privacy Control ({@code Sec-GPC: 1}) or Do Not Track
   * ({@code DNT: 1}). Only the exact value {@code 1} (surrounding white space ignored) counts: the
   * GPC spec defines no other, and {@code DNT: 0} explicitly means consent.
   */
  public static boolean optedOut(HttpServletRequest request) {
    return isOne(request.getHeader("Sec-GPC")) || isOne(request.getHeader("DNT"));
  }

  private static boolean isOne(String value) {
    return value != null && value.trim().equals("1");
  }
}
