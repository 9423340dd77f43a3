package dev.audiencekit.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
    coalescer.minted("fp", "id-1");
    now.addAndGet(1_000);
    assertThat(coalescer.recent("fp")).isEqualTo("id-1");
  }

  @Test
  void otherDevicesDoNotShareIt() {
    coalescer.minted("fp", "id-1");
    assertThat(coalescer.recent("other")).isNull();
  }

  @Test
  void offerEndsAfterFiveSeconds() {
    coalescer.minted("fp", "id-1");
    now.addAndGet(Coalescer.WINDOW_MS + 1);
    assertThat(coalescer.recent("fp")).isNull();
  }

  @Test
  void offerEndsWhenTheIdComesBackInACookie() {
    coalescer.minted("fp", "id-1");
    coalescer.cameBack("fp", "id-1");
    assertThat(coalescer.recent("fp")).isNull();
  }

  @Test
  void anotherIdComingBackDoesNotEndTheOffer() {
    coalescer.minted("fp", "id-1");
    coalescer.cameBack("fp", "id-0");
    assertThat(coalescer.recent("fp")).isEqualTo("id-1");
  }
}
