package dev.audiencekit.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock = new Clock() {
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return Instant.ofEpochMilli(now.get()); }
  };
  private final Coalescer coalescer = new Coalescer(clock);

  @Test
  void parallelCookielessRequestOfTheSameDeviceReusesTheMintedId() {
    coalescer.claim("fp", "id-1");
    now.addAndGet(1_000);
    assertThat(coalescer.recent("fp")).isEqualTo("id-1");
  }

  @Test
  void otherDevicesDoNotShareIt() {
    coalescer.claim("fp", "id-1");
    assertThat(coalescer.recent("other")).isNull();
  }

  @Test
  void offerEndsAfterFiveSeconds() {
    coalescer.claim("fp", "id-1");
    now.addAndGet(Coalescer.WINDOW_MS + 1);
    assertThat(coalescer.recent("fp")).isNull();
  }

  @Test
  void offerEndsWhenTheIdComesBackInACookie() {
    coalescer.claim("fp", "id-1");
    coalescer.cameBack("id-1");
    assertThat(coalescer.recent("fp")).isNull();
  }

  @Test
  void anotherIdComingBackDoesNotEndTheOffer() {
    coalescer.claim("fp", "id-1");
    coalescer.cameBack("id-0");
    assertThat(coalescer.recent("fp")).isEqualTo("id-1");
  }

  @Test
  void claimHandsTheSameIdToEveryParallelCaller() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> claims = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String candidate = "id-" + i;
        claims.add(pool.submit(() -> {
          go.await();
          return coalescer.claim("fp", candidate);
        }));
      }
      go.countDown();
      Set<String> ids = new HashSet<>();
      for (Future<String> claim : claims) {
        ids.add(claim.get(10, TimeUnit.SECONDS));
      }
      assertThat(ids).hasSize(1);
      assertThat(coalescer.recent("fp")).isEqualTo(ids.iterator().next());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void claimAfterTheWindowMintsAnew() {
    assertThat(coalescer.claim("fp", "id-1")).isEqualTo("id-1");
    assertThat(coalescer.claim("fp", "id-2")).isEqualTo("id-1");
    now.addAndGet(Coalescer.WINDOW_MS + 1);
    assertThat(coalescer.claim("fp", "id-3")).isEqualTo("id-3");
  }

  @Test
  void claimAfterTheIdCameBackMintsAnew() {
    coalescer.claim("fp", "id-1");
    coalescer.cameBack("id-1");
    assertThat(coalescer.claim("fp", "id-2")).isEqualTo("id-2");
  }

  @Test
  void idsThatNeverComeBackDoNotGrowTheMapsWithoutBound() {
    for (int i = 0; i < Coalescer.MAX_ENTRIES + 1_000; i++) {
      coalescer.claim("fp-" + i, "id-" + i);
      if (i % 1_000 == 0) {
        now.addAndGet(Coalescer.WINDOW_MS + Coalescer.EVICTION_INTERVAL_MS);
      }
    }
    assertThat(coalescer.size()).isLessThanOrEqualTo(Coalescer.MAX_ENTRIES);
  }
}
