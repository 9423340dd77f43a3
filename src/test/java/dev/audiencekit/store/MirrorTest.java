package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.store.Mirror.Restore;
import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MirrorTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  static final String FP = "fingerprint-1";

  final ControllableStore store = new ControllableStore();
  final Metrics metrics = new Metrics();
  final MutableClock clock = new MutableClock(T0);
  final List<Mirror> opened = new ArrayList<>();

  /** A mirror whose writer would wait an hour on its own: tests flush by closing it. */
  Mirror.Builder slowWriter() {
    return Mirror.builder(store).metrics(metrics).clock(clock).flushInterval(Duration.ofHours(1));
  }

  Mirror.Builder fastWriter() {
    return Mirror.builder(store).metrics(metrics).clock(clock).flushInterval(Duration.ofMillis(10));
  }

  Mirror open(Mirror.Builder b) {
    Mirror m = b.build();
    opened.add(m);
    return m;
  }

  @AfterEach
  void closeAll() {
    CountDownLatch latch = store.block;
    if (latch != null) {
      latch.countDown();
    }
    store.failing = false;
    opened.forEach(Mirror::close);
  }

  static IdentityRecord record(String anonymousId, String userId, Instant at) {
    return IdentityRecord.of(anonymousId, userId, null, null, null, null, at);
  }

  // ---- fail open ----

  @Test
  void findGivesUpAfterTheTimeoutWhenTheStoreBlocks() {
    store.block = new CountDownLatch(1);
    Mirror mirror = open(slowWriter().timeout(Duration.ofMillis(50)));
    long start = System.nanoTime();
    assertThat(mirror.find("a-1")).isNull();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(metrics.storeErrors.sum()).isEqualTo(1);
  }

  @Test
  void restoreFailsWhenTheStoreBlocks() {
    store.block = new CountDownLatch(1);
    Mirror mirror = open(slowWriter().timeout(Duration.ofMillis(50)));
    assertThat(mirror.restore(FP)).isEqualTo(Restore.FAILED);
    assertThat(metrics.storeErrors.sum()).isEqualTo(1);
  }

  @Test
  void storeErrorsAreCountedNeverThrown() {
    store.failing = true;
    Mirror mirror = open(fastWriter().failFast(Duration.ZERO));
    assertThat(mirror.find("a-1")).isNull();
    assertThat(mirror.restore(FP)).isEqualTo(Restore.FAILED);
    mirror.save(record("a-1", "u-1", T0));
    mirror.link(FP, "a-1");
    assertThat(metrics.storeErrors.sum()).isGreaterThanOrEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> metrics.storeErrors.sum() >= 3); // the write, too
  }

  @Test
  void readsFailFastForAMomentAfterAFailure() {
    store.failing = true;
    Mirror mirror = open(slowWriter().failFast(Duration.ofMinutes(5)));
    mirror.find("a-1");
    mirror.find("a-2");
    mirror.restore(FP);
    assertThat(store.calls("find")).isEqualTo(1);
    assertThat(store.calls("links")).isZero();
    assertThat(metrics.storeErrors.sum()).isEqualTo(3);
  }

  @Test
  void readsRefusedWhenEveryReaderIsBusyFailAtOnce() {
    store.block = new CountDownLatch(1);
    Mirror mirror = open(slowWriter().readThreads(1).timeout(Duration.ofMillis(20)).failFast(Duration.ZERO));
    for (int i = 0; i < 10; i++) {
      assertThat(mirror.find("a-" + i)).isNull();
    }
    assertThat(metrics.storeErrors.sum()).isEqualTo(10);
  }

  @Test
  void failuresAreLoggedAtMostOncePer30SecondsAndRecoveryOnce() {
    try (LogCapture log = new LogCapture(Mirror.class.getName())) {
      store.failing = true;
      Mirror mirror = open(slowWriter().failFast(Duration.ZERO));
      for (int i = 0; i < 100; i++) {
        mirror.find("a-" + i);
      }
      assertThat(metrics.storeErrors.sum()).isEqualTo(100);
      assertThat(log.at(Level.WARNING)).hasSize(1);
      assertThat(log.at(Level.WARNING).get(0)).contains("find failed").contains("store is down (test)")
          .contains("fail open");

      clock.advance(Duration.ofSeconds(31));
      mirror.find("again");
      assertThat(log.at(Level.WARNING)).hasSize(2);
      assertThat(log.at(Level.WARNING).get(1)).contains("99 more failures");

      store.failing = false;
      mirror.find("a-1");
      mirror.find("a-2");
      assertThat(log.at(Level.INFO)).hasSize(1);
      assertThat(log.at(Level.INFO).get(0)).contains("works again after 101");
    }
  }

  // ---- write-behind ----

  @Test
  void writesDoNotTouchTheStoreOnTheCallersThread() {
    store.block = new CountDownLatch(1); // a blocked store would hang a synchronous caller
    Mirror mirror = open(slowWriter());
    mirror.save(record("a-1", "u-1", T0));
    mirror.link(FP, "a-1");
    mirror.delete("a-2");
    mirror.unlink(FP, "a-3");
    assertThat(mirror.pendingWrites()).isEqualTo(4);
    assertThat(store.calls).isEmpty();
  }

  @Test
  void writesOfOneKeyAreCoalescedLatestWins() {
    Mirror mirror = open(slowWriter());
    for (int i = 0; i < 100; i++) {
      mirror.save(record("a-1", "u-" + i, T0));
    }
    mirror.save(record("a-2", "other", T0));
    mirror.close();
    assertThat(store.calls("save")).isEqualTo(2);
    assertThat(store.data.find("a-1").userId()).isEqualTo("u-99");
  }

  @Test
  void queuedWritesReachTheStoreWithinTheFlushInterval() {
    Mirror mirror = open(fastWriter());
    mirror.save(record("a-1", "u-1", T0));
    await().atMost(Duration.ofSeconds(1)).until(() -> store.data.find("a-1") != null);
    assertThat(mirror.pendingWrites()).isZero();
  }

  @Test
  void theDefaultFlushIntervalIsWellUnderOneSecond() {
    Mirror mirror = open(Mirror.builder(store).metrics(metrics).clock(clock));
    mirror.save(record("a-1", "u-1", T0));
    await().atMost(Duration.ofSeconds(1)).until(() -> store.data.find("a-1") != null);
  }

  @Test
  void aFailedWriteIsRetried() {
    store.failNext.set(2);
    Mirror mirror = open(fastWriter());
    mirror.save(record("a-1", "u-1", T0));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.data.find("a-1") != null);
    assertThat(metrics.storeErrors.sum()).isEqualTo(2);
  }

  @Test
  void aFullQueueDropsTheOldestWriteAndCountsIt() {
    Mirror mirror = open(slowWriter().maxPending(3));
    for (int i = 0; i < 5; i++) {
      mirror.save(record("a-" + i, null, T0));
    }
    assertThat(mirror.pendingWrites()).isEqualTo(3);
    assertThat(metrics.storeErrors.sum()).isEqualTo(2);
    mirror.close();
    assertThat(store.data.find("a-0")).isNull();
    assertThat(store.data.find("a-1")).isNull();
    assertThat(store.data.find("a-4")).isNotNull();
  }

  @Test
  void closeWritesWhatIsQueuedAndClosesTheStore() {
    Mirror mirror = open(slowWriter());
    mirror.save(record("a-1", "u-1", T0));
    mirror.link(FP, "a-1");
    mirror.close();
    assertThat(store.data.find("a-1")).isNotNull();
    assertThat(store.data.links(FP, T0, 10)).hasSize(1);
    assertThat(store.calls("close")).isEqualTo(1);
  }

  @Test
  void closeGivesUpOnADeadStoreAtTheDeadlineAndCountsTheLoss() {
    store.failing = true;
    Mirror mirror = open(slowWriter().closeTimeout(Duration.ofMillis(300)));
    mirror.save(record("a-1", "u-1", T0));
    long start = System.nanoTime();
    mirror.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(metrics.storeErrors.sum()).isGreaterThanOrEqualTo(2); // the failures and the lost write
  }

  @Test
  void writesAfterCloseAreCountedNotQueued() {
    Mirror mirror = open(slowWriter());
    mirror.close();
    mirror.save(record("a-1", "u-1", T0));
    assertThat(mirror.pendingWrites()).isZero();
    assertThat(metrics.storeErrors.sum()).isEqualTo(1);
    assertThat(mirror.find("a-1")).isNull(); // and reads fail open
  }

  // ---- read-your-writes ----

  @Test
  void findSeesAQueuedSaveBeforeTheStoreHasIt() {
    Mirror mirror = open(slowWriter());
    IdentityRecord r = IdentityRecord.of("a-1", "u-1", null, Json.createObjectBuilder().add("k", "v").build(),
        null, null, T0);
    mirror.save(r);
    assertThat(mirror.find("a-1")).isEqualTo(r);
    assertThat(store.calls("find")).isZero();
  }

  @Test
  void findSeesAQueuedDeleteBeforeTheStoreDoes() {
    store.data.save(record("a-1", "u-1", T0));
    Mirror mirror = open(slowWriter());
    assertThat(mirror.find("a-1")).isNotNull();
    mirror.delete("a-1");
    assertThat(mirror.find("a-1")).isNull();
  }

  @Test
  void findSeesAWriteWhileItIsBeingWritten() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Mirror mirror = open(fastWriter());
    store.block = release;
    mirror.save(record("a-1", "u-1", T0));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.calls("save") == 1); // in flight, blocked
    store.block = null;
    assertThat(mirror.find("a-1").userId()).isEqualTo("u-1");
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.data.find("a-1") != null);
  }

  @Test
  void recordsOlderThanTheTtlAreNotReturned() {
    store.data.save(record("a-1", "u-1", T0));
    Mirror mirror = open(slowWriter().ttl(Duration.ofDays(10)));
    assertThat(mirror.find("a-1")).isNotNull();
    clock.advance(Duration.ofDays(11));
    assertThat(mirror.find("a-1")).isNull();
  }

  // ---- restore ----

  @Test
  void restoreFindsTheOneLinkedId() {
    Mirror mirror = open(slowWriter());
    mirror.link(FP, "a-1");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1"));
    assertThat(mirror.restore("other-fingerprint")).isEqualTo(Restore.NONE);
  }

  @Test
  void twoIdsOnOneFingerprintAreAmbiguousAndUnlinkMakesItUniqueAgain() {
    Mirror mirror = open(fastWriter());
    mirror.link(FP, "a-1");
    mirror.link(FP, "a-2");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.AMBIGUOUS); // from the queue
    await().atMost(Duration.ofSeconds(5)).until(() -> mirror.pendingWrites() == 0 && store.data.links(FP, T0, 9).size() == 2);
    assertThat(mirror.restore(FP)).isEqualTo(Restore.AMBIGUOUS); // from the store
    assertThat(metrics.restoresRefusedAmbiguous.sum()).isEqualTo(2);

    mirror.unlink(FP, "a-2");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1")); // queued unlink already counts
    await().atMost(Duration.ofSeconds(5)).until(() -> store.data.links(FP, T0, 9).size() == 1);
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1"));
  }

  @Test
  void aDeletedIdNoLongerRestores() {
    store.data.link(FP, "a-1", T0);
    Mirror mirror = open(slowWriter());
    mirror.delete("a-1");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.NONE);
  }

  @Test
  void linksOlderThanTheTtlDoNotCount() {
    store.data.link(FP, "old", T0);
    clock.advance(Duration.ofDays(11));
    Mirror mirror = open(slowWriter().ttl(Duration.ofDays(10)));
    mirror.link(FP, "new");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("new"));
  }

  @Test
  void aFullPageOfLinksIsAmbiguousEvenAfterLocalUnlinks() {
    for (int i = 0; i < Mirror.RESTORE_LINK_LIMIT + 2; i++) {
      store.data.link(FP, "a-" + i, T0.plusSeconds(i));
    }
    Mirror mirror = open(slowWriter());
    for (int i = 0; i < Mirror.RESTORE_LINK_LIMIT + 1; i++) {
      mirror.unlink(FP, "a-" + (i + 1));
    }
    assertThat(mirror.restore(FP)).isEqualTo(Restore.AMBIGUOUS);
  }

  @Test
  void repeatedLinksOfAPairAreWrittenOncePerMinute() {
    Mirror mirror = open(slowWriter());
    mirror.link(FP, "a-1");
    mirror.close(); // flush
    Mirror again = open(slowWriter());
    again.link(FP, "a-1");
    again.link(FP, "a-1");
    clock.advance(Duration.ofSeconds(30));
    again.link(FP, "a-1");
    assertThat(again.pendingWrites()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(31));
    again.link(FP, "a-1");
    again.close();
    assertThat(store.calls("link")).isEqualTo(2);
    assertThat(store.data.links(FP, T0, 9).get(0).lastSeen()).isEqualTo(T0.plusSeconds(61));
  }

  @Test
  void unlinkLiftsTheThrottleSoTheNextLinkIsWritten() {
    Mirror mirror = open(slowWriter());
    mirror.link(FP, "a-1");
    mirror.unlink(FP, "a-1");
    mirror.link(FP, "a-1");
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1"));
  }

  // ---- expiry and the memory store ----

  @Test
  void expiryUsesTheTtlCutoff() {
    Mirror mirror = open(slowWriter().ttl(Duration.ofDays(10)));
    assertThat(mirror.expireNow()).isZero();
    assertThat(store.lastExpireCutoff).isEqualTo(T0.minus(Duration.ofDays(10)));
  }

  @Test
  void expiryRunsPeriodicallyOnTheWriter() {
    open(fastWriter().expireInterval(Duration.ofMillis(50)));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.calls("expire") >= 2);
  }

  @Test
  void openWrapsTheConfiguredStoreWithTheConfiguredTimeout() {
    Mirror mirror = Mirror.open(dev.audiencekit.config.Settings.of(java.util.Map.of("store.timeoutMs", "20")), metrics, java.time.Clock.systemUTC());
    opened.add(mirror);
    mirror.save(record("a-1", "u-1", Instant.now()));
    assertThat(mirror.find("a-1")).isNotNull();
    assertThat(mirror.toString()).startsWith("Mirror[dev.audiencekit.store.MemoryStore");
  }

  @Test
  void overAMemoryStoreEverythingIsImmediate() {
    MemoryStore memory = new MemoryStore(100);
    Mirror mirror = open(Mirror.builder(memory).metrics(metrics).clock(clock));
    mirror.save(record("a-1", "u-1", T0));
    mirror.link(FP, "a-1");
    assertThat(memory.find("a-1")).isNotNull();
    assertThat(mirror.restore(FP)).isEqualTo(Restore.found("a-1"));
    assertThat(mirror.pendingWrites()).isZero();
    assertThat(mirror.toString()).doesNotContain("queued");
  }
}
