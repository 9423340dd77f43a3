package dev.audiencekit.identity;

import dev.audiencekit.IdentitySource;
import dev.audiencekit.store.IdentityRecord;
import jakarta.json.JsonObject;

/**
 * How the anonymousId of a request was found, with what came along: the ids of the readable cookies,
 * legacy traits, and the mirror record when resolution already read it. Built by the named factories,
 * one per way an id is found.
 *
 * @param source       how the id was found
 * @param anonymousId  the id
 * @param userId       the userId of the cookies, or of the record when the browser owns it
 * @param groupId      the groupId of the cookies, or of the record when the browser owns it
 * @param legacyTraits traits of a legacy {@code ajs_user} cookie, or {@code null}
 * @param record       the record of the id as read during resolution, or {@code null} when not read (or none)
 * @param recordRead   whether the mirror was asked for the record
 * @param presented    whether the browser presented the id in a cookie (only then is it linked to the
 *                     device fingerprint)
 * @param renewKey     whether the browser gets a new device key (it reset its identity)
 */
public record Resolution(IdentitySource source, String anonymousId, String userId, String groupId,
    JsonObject legacyTraits, IdentityRecord record, boolean recordRead, boolean presented, boolean renewKey) {

  /** The readable cookie (or a legacy one) held the id. */
  static Resolution cookie(String anonymousId, String userId, String groupId, JsonObject legacyTraits) {
    return new Resolution(IdentitySource.COOKIE, anonymousId, userId, groupId, legacyTraits, null, false, true, false);
  }

  /** The HttpOnly backup cookie held the id; {@code record} is its record, read to bring the userId back. */
  static Resolution backupCookie(String anonymousId, String userId, String groupId, IdentityRecord record) {
    return new Resolution(IdentitySource.BACKUP_COOKIE, anonymousId, userId, groupId, null, record, true, true, false);
  }

  /** An owner's change made after its last response committed moved the browser to {@code anonymousId}. */
  static Resolution moved(String anonymousId, String userId, String groupId, IdentityRecord record) {
    return new Resolution(IdentitySource.COOKIE, anonymousId, userId, groupId, null, record, true, false, false);
  }

  /** The device fingerprint found an anonymous, dormant id. */
  static Resolution fingerprint(String anonymousId, String userId, String groupId, IdentityRecord record) {
    return new Resolution(IdentitySource.FINGERPRINT, anonymousId, userId, groupId, null, record, true, false, false);
  }

  /** A parallel request of the same first page view got the id minted moments ago. */
  static Resolution coalesced(String anonymousId, String userId, String groupId, JsonObject legacyTraits) {
    return new Resolution(IdentitySource.COALESCED, anonymousId, userId, groupId, legacyTraits, null, true, false, false);
  }

  /** A new id. */
  public static Resolution minted(String anonymousId, String userId, String groupId, JsonObject legacyTraits) {
    return new Resolution(IdentitySource.NEW, anonymousId, userId, groupId, legacyTraits, null, true, false, false);
  }

  /** A new id for a browser that reset its identity after its last response had committed. */
  static Resolution afterReset(String anonymousId) {
    return new Resolution(IdentitySource.NEW, anonymousId, null, null, null, null, true, false, true);
  }
}
