package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryStoreTest extends IdentityStoreContract {

  @Override
  protected IdentityStore newStore() {
    return new MemoryStore(100_000);
  }

  @Test
  void evictsTheLeastRecentlyUsedRecordBeyondMaxEntries() {
    MemoryStore small = new MemoryStore(3);
    small.save(record("a", null, T0));
    small.save(record("b", null, T0));
    small.save(record("c", null, T0));
    small.find("a"); // a is now more recent than b
    small.save(record("d", null, T0));
    assertThat(small.find("b")).isNull();
    assertThat(small.find("a")).isNotNull();
    assertThat(small.find("d")).isNotNull();
    assertThat(small.size()).isEqualTo(3);
  }

  @Test
  void stripedStoreNeverHoldsMoreThanMaxEntries() {
    MemoryStore striped = new MemoryStore(2_000);
    for (int i = 0; i < 10_000; i++) {
      striped.save(record("a-" + i, null, T0));
    }
    assertThat(striped.size()).isLessThanOrEqualTo(2_000).isGreaterThan(1_500);
  }

  @Test
  void evictsTheLeastRecentlyUsedFingerprintAndItsReverseIndex() {
    MemoryStore small = new MemoryStore(2);
    small.link("f1", "a-1", T0);
    small.link("f2", "a-2", T0);
    small.link("f3", "a-1", T0);
    assertThat(small.links("f1", T0, 10)).isEmpty();
    small.delete("a-1");
    assertThat(small.links("f3", T0, 10)).isEmpty();
    assertThat(small.links("f2", T0, 10)).hasSize(1);
  }

  @Test
  void keepsTheMostRecentlySeenLinksOfAFingerprint() {
    for (int i = 0; i < MemoryStore.MAX_LINKS_PER_FINGERPRINT + 5; i++) {
      store.link(FP, "a-" + i, t(i));
    }
    assertThat(store.links(FP, T0, 100)).hasSize(MemoryStore.MAX_LINKS_PER_FINGERPRINT);
    assertThat(ids(store.links(FP, T0, 1))).containsExactly("a-" + (MemoryStore.MAX_LINKS_PER_FINGERPRINT + 4));
  }

  @Test
  void heapEstimateNeverExceedsMaxBytesHoweverLargeTheRecords() {
    MemoryStore small = new MemoryStore(1_000_000, 256 * 1024);
    jakarta.json.JsonObject big = jakarta.json.Json.createObjectBuilder().add("essay", "x".repeat(16_000)).build();
    for (int i = 0; i < 200; i++) {
      small.save(IdentityRecord.of("big-" + i, "u-" + i, null, big, null, java.util.List.of(), T0));
      small.link("fp-" + i, "big-" + i + "y".repeat(200), T0);
      assertThat(small.estimatedBytes()).isLessThanOrEqualTo(256 * 1024);
    }
    assertThat(small.find("big-199")).isNotNull();
    assertThat(small.find("big-0")).isNull(); // the least recently used went first
    assertThat(small.size()).isLessThan(200);
  }
}
