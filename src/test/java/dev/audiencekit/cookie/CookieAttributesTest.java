package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.Settings;
import dev.audiencekit.config.Settings.SameSite;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CookieAttributesTest {

  @Test
  void readableCookiesUseCookieMaxAgeAndAreNotHttpOnly() {
    CookieAttributes a = CookieAttributes.readable(Settings.of(Map.of("cookie.maxAgeDays", "30")), "example.com", false);

    assertThat(a).isEqualTo(new CookieAttributes("example.com", 30L * 86_400, SameSite.LAX, false, false));
  }

  @Test
  void backupCookieUsesBackupMaxAgeAndIsHttpOnly() {
    CookieAttributes a = CookieAttributes.backup(Settings.of(Map.of()), null, true);

    assertThat(a).isEqualTo(new CookieAttributes(null, 400L * 86_400, SameSite.LAX, true, true));
  }

  @Test
  void autoSecureFollowsTheRequest() {
    assertThat(CookieAttributes.secure(Settings.Secure.AUTO, true)).isTrue();
    assertThat(CookieAttributes.secure(Settings.Secure.AUTO, false)).isFalse();
  }

  @Test
  void explicitSecureIgnoresTheRequest() {
    assertThat(CookieAttributes.secure(Settings.Secure.TRUE, false)).isTrue();
    assertThat(CookieAttributes.secure(Settings.Secure.FALSE, true)).isFalse();
  }

  @Test
  void sameSiteNoneForcesSecureThroughSettings() {
    Settings settings = Settings.of(Map.of("cookie.sameSite", "None", "cookie.secure", "false"));

    assertThat(CookieAttributes.readable(settings, null, false).secure()).isTrue();
  }

  @Test
  void sameSiteNoneWithoutSecureIsRejected() {
    assertThatThrownBy(() -> new CookieAttributes(null, 1, SameSite.NONE, false, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void domainWithSeparatorsIsRejected() {
    assertThatThrownBy(() -> new CookieAttributes("a.com; Secure", 1, SameSite.LAX, false, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeMaxAgeIsRejected() {
    assertThatThrownBy(() -> new CookieAttributes(null, -1, SameSite.LAX, false, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
