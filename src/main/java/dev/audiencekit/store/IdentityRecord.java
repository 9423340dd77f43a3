package dev.audiencekit.store;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the mirror keeps for one anonymousId: the parts of an analytics.js identity that the browser
 * keeps in localStorage, and the browsers that own them. Immutable; build it with the named factories.
 *
 * <p>An anonymousId is not a secret (every script on the page can read it), so a record that holds user
 * data is given back only to its {@link #owners()}: hashes of the device keys of the browsers that put
 * the data there or that the application vouched for. At most {@link #MAX_OWNERS}, the most recently
 * seen first.
 *
 * @param anonymousId the key
 * @param userId      the known user, or {@code null}
 * @param groupId     the group, or {@code null}
 * @param userTraits  the cached user traits ({@code ajs_user_traits}), never {@code null}
 * @param groupTraits the cached group traits ({@code ajs_group_properties}), never {@code null}
 * @param owners      device-key hashes of the browsers that may use this record, most recent first
 * @param successor   when not {@code null}, this identity was replaced after its response had already
 *                    committed, and an owner's browser still presenting {@code anonymousId} is moved on
 * @param updatedAt   when the record was last written
 */
public record IdentityRecord(
    String anonymousId,
    String userId,
    String groupId,
    JsonObject userTraits,
    JsonObject groupTraits,
    List<String> owners,
    Successor successor,
    Instant updatedAt) {

  /** Owners kept per record; the least recently seen is dropped beyond it. */
  public static final int MAX_OWNERS = 8;

  public IdentityRecord {
    Objects.requireNonNull(anonymousId, "anonymousId");
    userTraits = userTraits == null ? JsonObject.EMPTY_JSON_OBJECT : userTraits;
    groupTraits = groupTraits == null ? JsonObject.EMPTY_JSON_OBJECT : groupTraits;
    owners = owners == null ? List.of() : List.copyOf(owners.size() > MAX_OWNERS ? owners.subList(0, MAX_OWNERS) : owners);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The identity data of {@code anonymousId} as the application left it. */
  public static IdentityRecord of(String anonymousId, String userId, String groupId, JsonObject userTraits,
      JsonObject groupTraits, List<String> owners, Instant at) {
    return new IdentityRecord(anonymousId, userId, groupId, userTraits, groupTraits, owners, null, at);
  }

  /** A replaced identity: only where its owners' browsers go next. */
  public static IdentityRecord replaced(String anonymousId, Successor successor, List<String> owners, Instant at) {
    return new IdentityRecord(anonymousId, null, null, null, null, owners,
        Objects.requireNonNull(successor, "successor"), at);
  }

  /** True when the record holds user data: a userId, a groupId, user traits or group traits. */
  public boolean holdsUserData() {
    return userId != null || groupId != null || !userTraits.isEmpty() || !groupTraits.isEmpty();
  }

  /** True when the record holds nothing worth keeping (no user data and no successor). */
  public boolean isEmpty() {
    return !holdsUserData() && successor == null;
  }

  /** Whether the browser whose device key hashes to {@code ownerHash} owns this record. */
  public boolean isOwnedBy(String ownerHash) {
    return ownerHash != null && owners.contains(ownerHash);
  }

  /** {@code owners} with {@code ownerHash} moved (or added) to the front, bounded. */
  public static List<String> withOwner(List<String> owners, String ownerHash) {
    List<String> out = new ArrayList<>(Math.min(MAX_OWNERS, owners.size() + 1));
    out.add(ownerHash);
    for (String o : owners) {
      if (out.size() >= MAX_OWNERS) {
        break;
      }
      if (!o.equals(ownerHash)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The same record, written at {@code at}. */
  public IdentityRecord touched(Instant at) {
    return new IdentityRecord(anonymousId, userId, groupId, userTraits, groupTraits, owners, successor, at);
  }
}
