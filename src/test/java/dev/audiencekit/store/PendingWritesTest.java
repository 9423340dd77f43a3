package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.store.PendingWrites.LinkOp;
import dev.audiencekit.store.PendingWrites.Op;
import dev.audiencekit.store.PendingWrites.RecordOp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingWritesTest {
  static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  final PendingWrites queue = new PendingWrites(100);

  static IdentityRecord record(String id, String userId) {
    return IdentityRecord.of(id, userId, null, null, null, null, T0);
  }

  @Test
  void aSaveAfterADeleteStillDeletesFirstAndKeepsThePosition() {
    queue.save(record("x", null));
    queue.delete("a");
    queue.save(record("a", "u"));
    List<Op> batch = queue.take();
    assertThat(batch).containsExactly(new RecordOp("x", record("x", null), false),
        new RecordOp("a", record("a", "u"), true));
  }

  @Test
  void aDeleteDropsQueuedLinksOfItsIdButNotLaterOnes() {
    queue.link("f", "a", T0);
    queue.link("f", "b", T0);
    queue.delete("a");
    queue.link("g", "a", T0);
    assertThat(queue.take()).containsExactly(new LinkOp("f", "b", T0), new RecordOp("a", null, true),
        new LinkOp("g", "a", T0));
  }

  @Test
  void aLinkNeverMovesBackInTime() {
    queue.link("f", "a", T0.plusSeconds(10));
    queue.link("f", "a", T0);
    assertThat(queue.take()).containsExactly(new LinkOp("f", "a", T0.plusSeconds(10)));
  }

  @Test
  void unlinkReplacesAQueuedLink() {
    queue.link("f", "a", T0);
    queue.unlink("f", "a");
    assertThat(queue.take()).containsExactly(new LinkOp("f", "a", null));
  }

  @Test
  void inFlightWritesStayVisibleUntilDone() {
    queue.save(record("a", "u"));
    queue.take();
    assertThat(queue.peek("a").record().userId()).isEqualTo("u");
    assertThat(queue.isEmpty()).isTrue();
    queue.done();
    assertThat(queue.peek("a")).isNull();
  }

  @Test
  void overlayAppliesLinksUnlinksAndDeletesInOrder() {
    queue.link("f", "new", T0);
    queue.unlink("f", "gone");
    queue.delete("deleted");
    queue.link("other", "elsewhere", T0);
    queue.link("f", "stale", T0.minusSeconds(100));
    Set<String> linked = new HashSet<>(Set.of("kept", "gone", "deleted"));
    queue.overlay("f", linked, T0.minusSeconds(10));
    assertThat(linked).containsExactlyInAnyOrder("kept", "new");
  }

  @Test
  void failedWritesGoBackInFrontOfNewerOnes() {
    queue.save(record("a", "1"));
    queue.link("f", "a", T0);
    List<Op> batch = queue.take();
    queue.save(record("b", "2"));
    queue.failed(batch);
    assertThat(queue.take()).extracting(op -> op instanceof RecordOp r ? r.anonymousId() : "link")
        .containsExactly("a", "link", "b");
  }

  @Test
  void aNewerSaveSupersedesAFailedOneAtTheOldPositionAndKeepsItsDelete() {
    queue.delete("a");
    List<Op> batch = queue.take();
    queue.link("f", "a", T0);
    queue.save(record("a", "new"));
    queue.failed(batch);
    // delete+save first, then the link made after the delete: the link survives the delete
    assertThat(queue.take()).containsExactly(new RecordOp("a", record("a", "new"), true), new LinkOp("f", "a", T0));
  }

  @Test
  void aFailedLinkIsDroppedWhenTheIdWasDeletedSince() {
    queue.link("f", "a", T0);
    queue.save(record("a", "1"));
    List<Op> batch = queue.take();
    queue.delete("a");
    queue.failed(batch);
    assertThat(queue.take()).containsExactly(new RecordOp("a", null, true));
  }

  @Test
  void theOldestWritesAreDroppedBeyondTheBound() {
    PendingWrites small = new PendingWrites(2);
    assertThat(small.save(record("a", null))).isZero();
    assertThat(small.link("f", "a", T0)).isZero();
    assertThat(small.save(record("b", null))).isEqualTo(1);
    assertThat(small.take()).containsExactly(new LinkOp("f", "a", T0), new RecordOp("b", record("b", null), false));
  }
}
