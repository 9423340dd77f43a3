package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.store.IdentityStore.FingerprintLink;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdentityStore} must have. Each implementation's test extends this class
 * and supplies a fresh, empty store. Instants used here have millisecond precision, which every store
 * must keep exactly.
 */
abstract class IdentityStoreContract {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123Z");
  static final String FP = "fp-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  static final String FP2 = "fp-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

  protected IdentityStore store;

  /** A new store with no data in it. */
  protected abstract IdentityStore newStore() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static IdentityRecord record(String anonymousId, String userId, Instant at) {
    return IdentityRecord.of(anonymousId, userId, null, null, null, null, at);
  }

  static Instant t(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void findOfUnknownIdIsNull() {
    assertThat(store.find("nobody")).isNull();
  }

  @Test
  void saveThenFindReturnsEveryField() {
    JsonObject user = Json.createObjectBuilder().add("name", "Ada").add("age", 36).build();
    JsonObject group = Json.createObjectBuilder().add("plan", "pro").build();
    IdentityRecord r = new IdentityRecord("a-1", "u-1", "g-1", user, group, List.of("owner-1", "owner-2"),
        Successor.movedTo("a-2"), T0);
    store.save(r);
    assertThat(store.find("a-1")).isEqualTo(r);
  }

  @Test
  void recordWithOnlyAnonymousIdRoundTrips() {
    IdentityRecord r = record("a-1", null, T0);
    store.save(r);
    IdentityRecord back = store.find("a-1");
    assertThat(back).isEqualTo(r);
    assertThat(back.userTraits()).isEmpty();
    assertThat(back.successor()).isNull();
  }

  @Test
  void resetSuccessorRoundTrips() {
    IdentityRecord r = IdentityRecord.replaced("a-1", Successor.RESET, List.of("owner-1"), T0);
    store.save(r);
    assertThat(store.find("a-1").successor()).isEqualTo(Successor.RESET);
    assertThat(store.find("a-1").owners()).containsExactly("owner-1");
  }

  @Test
  void eightOwnersRoundTripInOrder() {
    List<String> owners = new java.util.ArrayList<>();
    for (int i = 0; i < IdentityRecord.MAX_OWNERS; i++) {
      owners.add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + i);
    }
    IdentityRecord r = IdentityRecord.of("a-1", "u-1", null, null, null, owners, T0);
    store.save(r);
    assertThat(store.find("a-1").owners()).containsExactlyElementsOf(owners);
  }

  @Test
  void lastSeenIsTheLatestLinkOfTheIdOverEveryFingerprint() {
    assertThat(store.lastSeen("a-1")).isNull();
    store.link("fp-home", "a-1", T0);
    store.link("fp-carrier", "a-1", t(30));
    store.link("fp-home", "a-2", t(60));
    assertThat(store.lastSeen("a-1")).isEqualTo(t(30));
    store.delete("a-1");
    assertThat(store.lastSeen("a-1")).isNull();
  }

  @Test
  void saveReplacesTheWholeRecord() {
    store.save(IdentityRecord.of("a-1", "u-1", "g-1",
        Json.createObjectBuilder().add("x", 1).build(), null, List.of("owner-1"), T0));
    IdentityRecord second = IdentityRecord.of("a-1", "u-2", null, null,
        Json.createObjectBuilder().add("y", true).build(), null, t(5));
    store.save(second);
    assertThat(store.find("a-1")).isEqualTo(second);
  }

  @Test
  void traitsWithNonAsciiAndNestedJsonRoundTripExactly() {
    JsonObject traits = Json.createObjectBuilder()
        .add("name", "Zoë Ærøskøbing 山田 太郎 🚀")
        .add("quote", "say \"hi\"\\ \n\t<script>")
        .add("address", Json.createObjectBuilder()
            .add("city", "Kraków").add("geo", Json.createArrayBuilder().add(50.06).add(19.94)))
        .add("tags", Json.createArrayBuilder().add("a").add(Json.createObjectBuilder().add("b", JsonObject.NULL)))
        .add("big", 12345678901234567L)
        .add("nothing", JsonObject.NULL)
        .build();
    IdentityRecord r = IdentityRecord.of("a-ü", "user-ø", "grøup", traits, traits, null, T0);
    store.save(r);
    assertThat(store.find("a-ü")).isEqualTo(r);
  }

  @Test
  void idsOf256CharactersAndUnicodeAreKeptExactly() {
    String longId = "x".repeat(255) + "é";
    store.save(record(longId, "ü".repeat(256), T0));
    assertThat(store.find(longId).userId()).isEqualTo("ü".repeat(256));
    assertThat(store.find("x".repeat(255) + "e")).isNull();
  }

  @Test
  void deleteForgetsTheRecordAndEveryLinkToIt() {
    store.save(record("a-1", "u-1", T0));
    store.link(FP, "a-1", T0);
    store.link(FP2, "a-1", T0);
    store.link(FP, "a-2", T0);
    store.delete("a-1");
    assertThat(store.find("a-1")).isNull();
    assertThat(ids(store.links(FP, T0, 10))).containsExactly("a-2");
    assertThat(store.links(FP2, T0, 10)).isEmpty();
  }

  @Test
  void deleteOfUnknownIdDoesNothing() {
    store.save(record("a-1", null, T0));
    store.delete("a-2");
    assertThat(store.find("a-1")).isNotNull();
  }

  @Test
  void linkIsReturnedWithItsLastSeen() {
    store.link(FP, "a-1", T0);
    assertThat(store.links(FP, T0, 10)).containsExactly(new FingerprintLink("a-1", T0));
    assertThat(store.links(FP2, T0, 10)).isEmpty();
  }

  @Test
  void linkNeedsNoRecord() {
    store.link(FP, "a-1", T0);
    assertThat(store.find("a-1")).isNull();
    assertThat(store.links(FP, T0, 10)).hasSize(1);
  }

  @Test
  void linksAreMostRecentFirst() {
    store.link(FP, "a-1", t(1));
    store.link(FP, "a-3", t(3));
    store.link(FP, "a-2", t(2));
    assertThat(ids(store.links(FP, T0, 10))).containsExactly("a-3", "a-2", "a-1");
  }

  @Test
  void linksHonourSinceAndLimit() {
    store.link(FP, "a-1", t(1));
    store.link(FP, "a-2", t(2));
    store.link(FP, "a-3", t(3));
    assertThat(ids(store.links(FP, t(2), 10))).containsExactly("a-3", "a-2");
    assertThat(ids(store.links(FP, T0, 2))).containsExactly("a-3", "a-2");
    assertThat(store.links(FP, t(4), 10)).isEmpty();
  }

  @Test
  void relinkingMovesLastSeenForwardButNeverBack() {
    store.link(FP, "a-1", t(10));
    store.link(FP, "a-1", t(20));
    assertThat(store.links(FP, T0, 10)).containsExactly(new FingerprintLink("a-1", t(20)));
    store.link(FP, "a-1", t(15));
    assertThat(store.links(FP, T0, 10)).containsExactly(new FingerprintLink("a-1", t(20)));
  }

  @Test
  void unlinkRemovesOnlyThatPair() {
    store.link(FP, "a-1", T0);
    store.link(FP, "a-2", T0);
    store.link(FP2, "a-1", T0);
    store.unlink(FP, "a-1");
    assertThat(ids(store.links(FP, T0, 10))).containsExactly("a-2");
    assertThat(ids(store.links(FP2, T0, 10))).containsExactly("a-1");
    store.unlink(FP, "never-linked");
    assertThat(ids(store.links(FP, T0, 10))).containsExactly("a-2");
  }

  @Test
  void linkAfterUnlinkComesBack() {
    store.link(FP, "a-1", t(1));
    store.unlink(FP, "a-1");
    store.link(FP, "a-1", t(2));
    assertThat(store.links(FP, T0, 10)).containsExactly(new FingerprintLink("a-1", t(2)));
  }

  @Test
  void expireForgetsRecordsAndLinksOlderThanTheCutoff() {
    store.save(record("old", null, t(0)));
    store.save(record("new", null, t(100)));
    store.link(FP, "old", t(0));
    store.link(FP, "new", t(100));
    store.link(FP2, "old", t(99));
    int removed = store.expire(t(50));
    assertThat(removed).isEqualTo(2);
    assertThat(store.find("old")).isNull();
    assertThat(store.find("new")).isNotNull();
    assertThat(ids(store.links(FP, T0, 10))).containsExactly("new");
    assertThat(ids(store.links(FP2, T0, 10))).containsExactly("old");
  }

  @Test
  void aDeviceSeenAgainKeepsItsRecordFromExpiring() {
    Instant later = T0.plus(java.time.Duration.ofDays(3));
    store.save(record("active", "u-1", T0));
    store.save(record("idle", "u-2", T0));
    store.link(FP, "active", later);
    store.expire(T0.plus(java.time.Duration.ofDays(2)));
    assertThat(store.find("active")).isNotNull();
    assertThat(store.find("active").userId()).isEqualTo("u-1");
    assertThat(store.find("idle")).isNull();
  }

  @Test
  void expireKeepsWhatIsExactlyAtTheCutoff() {
    store.save(record("a-1", null, t(50)));
    store.link(FP, "a-1", t(50));
    assertThat(store.expire(t(50))).isZero();
    assertThat(store.find("a-1")).isNotNull();
  }

  @Test
  void expireRemovesMoreThanOneBatch() {
    for (int i = 0; i < 2_100; i++) {
      store.link(FP + i, "a-" + i, t(0));
    }
    store.save(record("kept", null, t(10)));
    assertThat(store.expire(t(5))).isEqualTo(2_100);
    for (int i = 0; i < 2_100; i += 97) {
      assertThat(store.links(FP + i, T0, 10)).isEmpty();
    }
    assertThat(store.find("kept")).isNotNull();
  }

  @Test
  void concurrentSavesAllLandAndTheSameKeyKeepsOneWholeRecord() throws Exception {
    int threads = 4;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            store.save(record("own-" + thread + "-" + i, "u-" + thread, t(i)));
            store.save(IdentityRecord.of("shared", "u-" + thread, "g-" + thread, null, null, null, t(i)));
            store.link(FP, "shared", t(i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(store.find("own-" + t + "-" + i).userId()).isEqualTo("u-" + t);
      }
    }
    IdentityRecord shared = store.find("shared");
    // One writer's record, never a mix of two.
    assertThat(shared.groupId()).isEqualTo("g-" + shared.userId().substring(2));
    assertThat(store.links(FP, T0, 10)).containsExactly(new FingerprintLink("shared", t(perThread - 1)));
  }

  @Test
  void linksOfOneFingerprintToManyIdsAreAllCountedUpToTheLimit() {
    for (int i = 0; i < 10; i++) {
      store.link(FP, "a-" + i, t(i));
    }
    assertThat(ids(store.links(FP, T0, 3))).containsExactly("a-9", "a-8", "a-7");
  }

  @Test
  void recordsOfDifferentAgesAreIndependent() {
    store.save(record("a-1", null, T0.minus(Duration.ofDays(500)).truncatedTo(ChronoUnit.MILLIS)));
    assertThat(store.find("a-1")).isNotNull();
  }

  static List<String> ids(List<FingerprintLink> links) {
    return links.stream().map(FingerprintLink::anonymousId).toList();
  }
}
