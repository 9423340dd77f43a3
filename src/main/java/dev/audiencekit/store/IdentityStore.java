package dev.audiencekit.store;

import java.time.Instant;
import java.util.List;

/**
 * The server-side mirror: the server's equivalent of the browser's localStorage. It keeps, per
 * anonymousId, what analytics.js would keep in localStorage (userId, groupId, user and group traits),
 * and links anonymousIds to privacy-preserving device fingerprints (HMAC hashes, never raw signals) so
 * that a browser that lost its cookies can get its identity back.
 *
 * <p>Implementations must be thread-safe. Any method may throw a {@link RuntimeException} on failure;
 * callers treat that as an outage (fail open), count it and carry on. Calls may be slow; the filter
 * bounds them with {@code store.timeoutMs} and never calls {@link #save} on a request thread.
 *
 * <p>A class named in the {@code store} init-param must implement this interface and have a public
 * constructor taking {@code (dev.audiencekit.config.Settings)} or no arguments.
 */
public interface IdentityStore extends AutoCloseable {

  /**
   * The record of {@code anonymousId}, or {@code null} when there is none (or it expired). The store keeps
   * {@link IdentityRecord#owners()} and {@link IdentityRecord#successor()} as given; who may see a record
   * is decided by the caller.
   */
  IdentityRecord find(String anonymousId);

  /** Inserts or replaces the record of {@code record.anonymousId()}. */
  void save(IdentityRecord record);

  /** Forgets the record of {@code anonymousId} and every fingerprint link to it. */
  void delete(String anonymousId);

  /**
   * Records that {@code anonymousId} was seen with a live cookie from a device with {@code fingerprint}
   * at {@code seen} (insert, or move {@code lastSeen} forward), and keeps the record of
   * {@code anonymousId}, if there is one, from expiring: its {@code updatedAt} moves forward too (a store
   * may skip that while the record is less than a day old).
   */
  void link(String fingerprint, String anonymousId, Instant seen);

  /**
   * When {@code anonymousId} was last seen with a live cookie from any device fingerprint: the latest
   * {@code lastSeen} of its links, or {@code null} when it has none. A fingerprint restore waits until an
   * id has not been in use for a while, wherever it was used.
   */
  Instant lastSeen(String anonymousId);

  /** Removes the link between {@code fingerprint} and {@code anonymousId} (reset, user switch). */
  void unlink(String fingerprint, String anonymousId);

  /**
   * The links of {@code fingerprint} last seen at or after {@code since}, most recent first, at most
   * {@code limit} of them (a fingerprint shared by a whole office network can have thousands; restore
   * only needs to know whether there is more than one).
   */
  List<FingerprintLink> links(String fingerprint, Instant since, int limit);

  /**
   * Forgets records whose {@code updatedAt} and links whose {@code lastSeen} is before {@code cutoff};
   * returns how many went (records plus links). Until it runs, {@link #find} may still return an old
   * record: the caller applies the TTL to what it reads. Implementations over a shared database delete
   * in small batches so that no table is locked for long.
   */
  int expire(Instant cutoff);

  @Override
  default void close() {}

  /** One fingerprint → anonymousId link. */
  record FingerprintLink(String anonymousId, Instant lastSeen) {}
}
