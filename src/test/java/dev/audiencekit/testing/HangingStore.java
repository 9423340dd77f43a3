package dev.audiencekit.testing;

import dev.audiencekit.store.IdentityRecord;
import dev.audiencekit.store.IdentityStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * An {@link IdentityStore} (for {@code store=dev.audiencekit.testing.HangingStore}) whose every call hangs,
 * like a database behind a dropped network link, until the calling thread is interrupted or the test
 * {@link #releaseAll() releases} it; then the call fails.
 */
public final class HangingStore implements IdentityStore {
  private static volatile CountDownLatch release = new CountDownLatch(1);

  /** Lets every hanging call (now and later) fail at once, so containers stop without waiting. */
  public static void releaseAll() {
    release.countDown();
  }

  /** Makes later calls hang again. */
  public static void rearm() {
    release = new CountDownLatch(1);
  }

  private static RuntimeException hang() {
    try {
      release.await();
      return new IllegalStateException("the identity database did not answer (HangingStore released)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IllegalStateException("the identity database did not answer (HangingStore interrupted)");
    }
  }

  @Override
  public IdentityRecord find(String anonymousId) {
    throw hang();
  }

  @Override
  public void save(IdentityRecord record) {
    throw hang();
  }

  @Override
  public void delete(String anonymousId) {
    throw hang();
  }

  @Override
  public void link(String fingerprint, String anonymousId, Instant seen) {
    throw hang();
  }

  @Override
  public Instant lastSeen(String anonymousId) {
    throw hang();
  }

  @Override
  public void unlink(String fingerprint, String anonymousId) {
    throw hang();
  }

  @Override
  public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
    throw hang();
  }

  @Override
  public int expire(Instant cutoff) {
    throw hang();
  }
}
