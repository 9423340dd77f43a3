package dev.audiencekit.store;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What the mirror keeps for one anonymousId: the parts of an analytics.js identity that the browser
 * keeps in localStorage. Immutable.
 *
 * @param anonymousId the key
 * @param userId      the known user, or {@code null}
 * @param groupId     the group, or {@code null}
 * @param userTraits  the cached user traits ({@code ajs_user_traits}), never {@code null}
 * @param groupTraits the cached group traits ({@code ajs_group_properties}), never {@code null}
 * @param successor   when not {@code null}, this identity was replaced after its response had already
 *                    been committed: a browser still presenting {@code anonymousId} is moved to the
 *                    successor (an anonymousId), or, when it is {@code ""}, to a new identity (reset)
 * @param updatedAt   when the record was last written
 */
public record IdentityRecord(
    String anonymousId,
    String userId,
    String groupId,
    JsonObject userTraits,
    JsonObject groupTraits,
    String successor,
    Instant updatedAt) {

  public IdentityRecord {
    Objects.requireNonNull(anonymousId, "anonymousId");
    userTraits = userTraits == null ? JsonObject.EMPTY_JSON_OBJECT : userTraits;
    groupTraits = groupTraits == null ? JsonObject.EMPTY_JSON_OBJECT : groupTraits;
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** True when the record holds nothing worth keeping (no user, group, traits or successor). */
  public boolean isEmpty() {
    return userId == null && groupId == null && userTraits.isEmpty() && groupTraits.isEmpty()
        && successor == null;
  }
}
