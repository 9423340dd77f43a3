package dev.audiencekit.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store for Mirror tests: a {@link MemoryStore} behind a switch that makes calls fail or block, and
 * counters of the calls made. Not a {@code MemoryStore} itself, so the mirror treats it as remote.
 */
final class ControllableStore implements IdentityStore {
  final MemoryStore data = new MemoryStore(100_000);
  final ConcurrentHashMap<String, LongAdder> calls = new ConcurrentHashMap<>();
  volatile boolean failing;
  /** Calls of these names fail this many more times. */
  final AtomicInteger failNext = new AtomicInteger();
  volatile CountDownLatch block;
  volatile Instant lastExpireCutoff;

  int calls(String method) {
    LongAdder n = calls.get(method);
    return n == null ? 0 : n.intValue();
  }

  private void enter(String method) {
    calls.computeIfAbsent(method, k -> new LongAdder()).increment();
    CountDownLatch latch = block;
    if (latch != null) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
    if (failing) {
      throw new IllegalStateException("store is down (test)");
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("store failed once (test)");
    }
  }

  @Override
  public IdentityRecord find(String anonymousId) {
    enter("find");
    return data.find(anonymousId);
  }

  @Override
  public void save(IdentityRecord record) {
    enter("save");
    data.save(record);
  }

  @Override
  public void delete(String anonymousId) {
    enter("delete");
    data.delete(anonymousId);
  }

  @Override
  public void link(String fingerprint, String anonymousId, Instant seen) {
    enter("link");
    data.link(fingerprint, anonymousId, seen);
  }

  @Override
  public Instant lastSeen(String anonymousId) {
    enter("lastSeen");
    return data.lastSeen(anonymousId);
  }

  @Override
  public void unlink(String fingerprint, String anonymousId) {
    enter("unlink");
    data.unlink(fingerprint, anonymousId);
  }

  @Override
  public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
    enter("links");
    return data.links(fingerprint, since, limit);
  }

  @Override
  public int expire(Instant cutoff) {
    enter("expire");
    lastExpireCutoff = cutoff;
    return data.expire(cutoff);
  }

  @Override
  public void close() {
    calls.computeIfAbsent("close", k -> new LongAdder()).increment();
  }
}
