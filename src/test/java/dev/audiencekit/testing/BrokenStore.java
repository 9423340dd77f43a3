package dev.audiencekit.testing;

import dev.audiencekit.store.IdentityRecord;
import dev.audiencekit.store.IdentityStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link IdentityStore} (for {@code store=dev.audiencekit.testing.BrokenStore}) whose every call fails. */
public final class BrokenStore implements IdentityStore {
  /** Calls made on any instance. */
  public static final AtomicInteger CALLS = new AtomicInteger();

  private static RuntimeException down() {
    CALLS.incrementAndGet();
    return new IllegalStateException("the identity database is down (BrokenStore)");
  }

  @Override
  public IdentityRecord find(String anonymousId) {
    throw down();
  }

  @Override
  public void save(IdentityRecord record) {
    throw down();
  }

  @Override
  public void delete(String anonymousId) {
    throw down();
  }

  @Override
  public void link(String fingerprint, String anonymousId, Instant seen) {
    throw down();
  }

  @Override
  public Instant lastSeen(String anonymousId) {
    throw down();
  }

  @Override
  public void unlink(String fingerprint, String anonymousId) {
    throw down();
  }

  @Override
  public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
    throw down();
  }

  @Override
  public int expire(Instant cutoff) {
    throw down();
  }
}
