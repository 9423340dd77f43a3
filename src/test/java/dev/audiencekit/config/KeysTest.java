package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class KeysTest {
  private static final String SECRET = "Zq7vN2-an-example-secret-of-40-characters";

  @Test
  void derivedKeyIsTheHmacOfThePurposeLabelUnderTheSecret() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal("audiencekit fingerprint v1".getBytes(StandardCharsets.US_ASCII));

    assertThat(Keys.of(SECRET).derive("fingerprint")).isEqualTo(expected);
  }

  @Test
  void theSameSecretGivesTheSameKeyForAPurpose() {
    assertThat(Keys.of(SECRET).derive("fingerprint")).isEqualTo(Keys.of(SECRET).derive("fingerprint"));
  }

  @Test
  void purposesGetUnrelatedKeys() {
    Keys keys = Keys.of(SECRET);

    assertThat(keys.derive("fingerprint")).isNotEqualTo(keys.derive("device-key"));
  }

  @Test
  void randomKeysDifferPerBoot() {
    assertThat(Keys.random().derive("fingerprint")).hasSize(32).isNotEqualTo(Keys.random().derive("fingerprint"));
    assertThat(Keys.random().configured()).isFalse();
    assertThat(Keys.of(SECRET).configured()).isTrue();
  }

  @Test
  void secretShorterThan32CharactersIsRefusedWithoutShowingIt() {
    String short31 = SECRET.substring(0, 31);

    assertThatThrownBy(() -> Keys.of(short31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32").hasMessageNotContaining("Zq");
    assertThat(Keys.of(SECRET.substring(0, 32)).configured()).isTrue();
  }

  @Test
  void purposeMustBeALowerCaseWord() {
    assertThatThrownBy(() -> Keys.of(SECRET).derive("Finger print")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringShowsNothingOfTheSecret() {
    assertThat(Keys.of(SECRET)).hasToString("Keys[from secret]");
    assertThat(Keys.random()).hasToString("Keys[random per boot]");
  }
}
