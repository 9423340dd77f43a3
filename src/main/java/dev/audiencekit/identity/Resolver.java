package dev.audiencekit.identity;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieHeader;
import dev.audiencekit.cookie.CookieValue;
import dev.audiencekit.cookie.LegacyCookies;
import dev.audiencekit.event.Uuids;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.store.IdentityRecord;
import dev.audiencekit.store.Mirror;
import dev.audiencekit.store.Successor;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Finds the anonymousId of a request, in order: the readable cookie, the HttpOnly backup cookie, the
 * mirror by device fingerprint, coalescing with a parallel first request, a new UUID.
 *
 * <p>The trust rules live here. An anonymousId is not a secret, so presenting one never unlocks stored
 * data: the userId and groupId of a record come back only to a browser whose device key owns it, and a
 * change made after a response committed is followed only by the browser that made it. A fingerprint
 * is shared by every browser behind one NAT with the same User-Agent and language, so it restores only
 * an anonymous id (its record holds no user data), only when the fingerprint is not ambiguous, and only
 * once the id has not been in use for {@code fingerprint.minDormancyHours}; every refusal is counted by
 * reason.
 */
public final class Resolver {
  private final Metrics metrics;
  private final Clock clock;
  private final Mirror mirror;
  private final Coalescer coalescer;
  private final LateChanges lateChanges;
  private final Duration minDormancy;

  /** The device fingerprints of one request, computed on first use. */
  public interface Fingerprints {
    /** For the mirror: {@code null} when fingerprinting is off or the request opted out. */
    String forMirror();

    /** For coalescing (memory only, never stored): {@code null} when there is none. */
    String forCoalescing();
  }

  public Resolver(Settings settings, Metrics metrics, Clock clock, Mirror mirror, Coalescer coalescer,
      LateChanges lateChanges) {
    this.metrics = metrics;
    this.clock = clock;
    this.mirror = mirror;
    this.coalescer = coalescer;
    this.lateChanges = lateChanges;
    this.minDormancy = settings.fingerprintMinDormancy();
  }

  /**
   * Resolves the identity of a request.
   *
   * @param cookies      the request's identity cookies
   * @param backup       the backup cookie ({@link BackupCookie#parse}); its device key is the browser's
   * @param fingerprints the request's fingerprints
   * @param persistent   whether the mirror may be consulted and taught (persist on, tracked)
   */
  public Resolution resolve(CookieHeader cookies, BackupCookie backup, Fingerprints fingerprints, boolean persistent) {
    CookieValue anonCookie = cookies.id(CookieHeader.ANONYMOUS_ID);
    CookieValue userCookie = cookies.id(CookieHeader.USER_ID);
    CookieValue groupCookie = cookies.id(CookieHeader.GROUP_ID);
    countInvalid(anonCookie);
    countInvalid(userCookie);
    countInvalid(groupCookie);
    String userId = userCookie.value();
    String groupId = groupCookie.value();
    JsonObject legacyTraits = null;
    if (userId == null) {
      LegacyCookies.LegacyUser legacy = LegacyCookies.user(cookies.raw(CookieHeader.LEGACY_USER));
      if (legacy != null) {
        userId = legacy.userId();
        legacyTraits = legacy.traits();
      }
    }
    DeviceKey key = backup.deviceKey();

    String anonymousId = anonCookie.value();
    if (anonymousId == null) {
      anonymousId = LegacyCookies.sioAnonymousId(cookies.raw(CookieHeader.LEGACY_SIO)).value();
    }
    if (anonymousId != null) {
      coalescer.cameBack(anonymousId);
      Successor late = lateChanges.take(anonymousId, key);
      if (late != null) {
        return follow(late, key);
      }
      return Resolution.cookie(anonymousId, userId, groupId, legacyTraits);
    }

    // The browser lost its readable cookie: what the server kept brings the identity back.
    countInvalid(backup.anonymousId());
    if (backup.anonymousId().value() != null) {
      String id = backup.anonymousId().value();
      coalescer.cameBack(id);
      metrics.restoredFromBackupCookie.increment();
      IdentityRecord record = persistent ? mirror.find(id) : null;
      if (record != null && record.successor() != null && owns(record, key)) {
        return follow(record.successor(), key);
      }
      if (owns(record, key)) {
        userId = userId != null ? userId : record.userId();
        groupId = groupId != null ? groupId : record.groupId();
      }
      return Resolution.backupCookie(id, userId, groupId, record);
    }

    boolean ambiguous = false;
    String fingerprint = persistent ? fingerprints.forMirror() : null;
    if (fingerprint != null) {
      Mirror.Restore restore = mirror.restore(fingerprint);
      if (restore.isFound()) {
        Resolution restored = restoreByFingerprint(fingerprint, restore.anonymousId(), userId, groupId);
        if (restored != null) {
          return restored;
        }
      }
      ambiguous = restore.outcome() == Mirror.Restore.Outcome.AMBIGUOUS;
    }
    // Coalescing cannot tell this device's parallel requests from another browser's on a fingerprint the
    // mirror knows to be shared: there it could hand one browser the id just minted for another.
    String minted = Uuids.secure();
    String coalescingKey = ambiguous ? null : fingerprints.forCoalescing();
    if (coalescingKey != null) {
      String claimed = coalescer.claim(coalescingKey, minted);
      if (!claimed.equals(minted)) {
        metrics.coalesced.increment();
        return Resolution.coalesced(claimed, userId, groupId, legacyTraits);
      }
    }
    metrics.idsMinted.increment();
    return Resolution.minted(minted, userId, groupId, legacyTraits);
  }

  /**
   * The id the fingerprint found, when it may be handed to this browser: its record holds no user data
   * (an identified person is found again by logging in, never by a fingerprint), and it has not been in
   * use for the dormancy wait (a browser that was here with its cookies an hour ago did not lose them;
   * another browser with the same fingerprint is asking). Null, counted by reason, otherwise.
   */
  private Resolution restoreByFingerprint(String fingerprint, String anonymousId, String userId, String groupId) {
    IdentityRecord record = mirror.find(anonymousId);
    if (record != null && !record.isEmpty()) {
      metrics.restoresRefusedUserData.increment();
      return null;
    }
    if (!minDormancy.isZero()) {
      Instant lastSeen = mirror.lastSeen(anonymousId);
      if (lastSeen != null && lastSeen.isAfter(clock.instant().minus(minDormancy))) {
        metrics.restoresRefusedDormancy.increment();
        return null;
      }
    }
    // The id is in use again from now on: a second browser behind the same fingerprint waits anew.
    mirror.link(fingerprint, anonymousId);
    metrics.restoredFromFingerprint.increment();
    return Resolution.fingerprint(anonymousId, userId, groupId, record);
  }

  /** Moves the browser along a change it made after its last response had committed. */
  private Resolution follow(Successor successor, DeviceKey key) {
    metrics.restoredFromLateChange.increment();
    if (successor instanceof Successor.MovedTo moved) {
      IdentityRecord record = mirror.find(moved.anonymousId());
      boolean owned = owns(record, key);
      return Resolution.moved(moved.anonymousId(), owned ? record.userId() : null, owned ? record.groupId() : null,
          record);
    }
    metrics.idsMinted.increment();
    return Resolution.afterReset(Uuids.secure());
  }

  /** Whether the browser with {@code key} owns {@code record} (false for no record or no key). */
  public static boolean owns(IdentityRecord record, DeviceKey key) {
    return record != null && key != null && record.isOwnedBy(key.hash());
  }

  private void countInvalid(CookieValue value) {
    if (value.isInvalid()) {
      metrics.invalidCookies.increment();
    }
  }
}
