package dev.audiencekit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.testing.FakeRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentSourcesTest {

  /** A custom source: consent from a request header, for tests. */
  public static final class HeaderSource implements ConsentSource {
    final Settings settings;

    public HeaderSource(Settings settings) {
      this.settings = settings;
    }

    @Override
    public Consent read(HttpServletRequest request) {
      String value = request.getHeader("X-Consent");
      return value == null ? Consent.UNDECIDED : Consent.of(Map.of(value, true));
    }
  }

  public static final class ThrowingSource implements ConsentSource {
    @Override
    public Consent read(HttpServletRequest request) {
      throw new IllegalStateException("session store down");
    }
  }

  public static final class NullSource implements ConsentSource {
    @Override
    public Consent read(HttpServletRequest request) {
      return null;
    }
  }

  private final Metrics metrics = new Metrics();

  private ConsentPolicy policy(String consent) {
    return ConsentPolicy.create(Settings.of(Map.of("consent", consent, "consent.required", "Analytics")), metrics,
        Clock.systemUTC());
  }

  @Test
  void aClassNamedInConsentIsConstructedWithTheSettings() {
    ConsentSource source = ConsentSources.create(Settings.of(Map.of("consent", HeaderSource.class.getName())),
        metrics, Clock.systemUTC());
    assertThat(((GuardedSource) source).delegate()).isInstanceOf(HeaderSource.class);
    assertThat(((HeaderSource) ((GuardedSource) source).delegate()).settings.consentName())
        .isEqualTo(HeaderSource.class.getName());
  }

  @Test
  void aCustomSourceDecides() {
    ConsentState state = policy(HeaderSource.class.getName())
        .evaluate(FakeRequest.withHeaders("X-Consent", "Analytics"));
    assertThat(state.isGranted()).isTrue();
  }

  @Test
  void aSourceThatThrowsLeavesTheVisitorUndecidedAndIsCounted() {
    ConsentPolicy policy = policy(ThrowingSource.class.getName());
    ConsentState first = policy.evaluate(new FakeRequest().build());
    ConsentState second = policy.evaluate(new FakeRequest().build());
    assertThat(first.isDecided()).isFalse();
    assertThat(second.isGranted()).isFalse();
    assertThat(metrics.consentSourceErrors.sum()).isEqualTo(2);
  }

  @Test
  void aSourceThatAnswersNullLeavesTheVisitorUndecidedAndIsCounted() {
    assertThat(policy(NullSource.class.getName()).evaluate(new FakeRequest().build()).isDecided()).isFalse();
    assertThat(metrics.consentSourceErrors.sum()).isEqualTo(1);
  }

  @Test
  void aClassThatIsNoConsentSourceFailsNamingConsent() {
    assertThatThrownBy(() -> policy("java.lang.String"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param consent: 'java.lang.String' does not implement "
            + "dev.audiencekit.consent.ConsentSource");
  }

  @Test
  void anUnknownClassFailsNamingConsent() {
    assertThatThrownBy(() -> policy("com.example.NoSuchConsent"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param consent: 'com.example.NoSuchConsent'");
  }

  @Test
  void unreadableConsentCookiesAreCounted() {
    policy("onetrust").evaluate(FakeRequest.withHeaders("Cookie", "OptanonConsent=garbage"));
    policy("cookie:c").evaluate(FakeRequest.withHeaders("Cookie", "c=%ZZ"));
    assertThat(metrics.consentCookiesUnreadable.sum()).isEqualTo(2);
  }
}
