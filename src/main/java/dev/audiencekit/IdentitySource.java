package dev.audiencekit;

/** How the filter found the anonymousId of a request (SPEC §5), in the order it tries. */
public enum IdentitySource {
  /** The readable {@code ajs_anonymous_id} cookie, shared with analytics.js. */
  COOKIE,
  /** The HttpOnly backup cookie, after the browser lost the readable one. */
  BACKUP_COOKIE,
  /** The server-side mirror, found again by the device fingerprint. */
  FINGERPRINT,
  /** An id minted moments ago for a parallel request of the same first page view. */
  COALESCED,
  /** A new random UUID. */
  NEW
}
