package dev.audiencekit.privacy;

import dev.audiencekit.testing.FakeRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivacySignalsTest {

  @Test
  void secGpcOneOptsOut() {
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("Sec-GPC", "1"))).isTrue();
  }

  @Test
  void dntOneOptsOut() {
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("DNT", " 1 "))).isTrue();
  }

  @Test
  void noSignalDoesNotOptOut() {
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("User-Agent", "x"))).isFalse();
  }

  @Test
  void otherValuesDoNotOptOut() {
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("DNT", "0"))).isFalse();
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("Sec-GPC", "true"))).isFalse();
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("Sec-GPC", ""))).isFalse();
  }

  @Test
  void eitherSignalIsEnough() {
    assertThat(PrivacySignals.optedOut(FakeRequest.withHeaders("DNT", "0", "Sec-GPC", "1"))).isTrue();
  }
}
