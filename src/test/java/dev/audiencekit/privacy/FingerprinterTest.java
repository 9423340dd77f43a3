package dev.audiencekit.privacy;

import dev.audiencekit.testing.FakeRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.config.Keys;
import dev.audiencekit.config.Settings;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
  static final String SECRET_TEXT = "0123456789abcdef-0123456789-secret";
  static final Keys SECRET = Keys.of(SECRET_TEXT);
  static final List<String> DEFAULT_SIGNALS = List.of("ip", "user-agent", "accept-language");
  static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/131.0.0.0 Safari/537.36";

  final Fingerprinter fingerprinter = new Fingerprinter(SECRET, DEFAULT_SIGNALS, 24, 48);

  static HttpServletRequest browser() {
    return FakeRequest.withHeaders("User-Agent", CHROME, "Accept-Language", "de-DE,de;q=0.9,en;q=0.8");
  }

  @Test
  void sameInputsGiveTheSameFingerprint() {
    String a = fingerprinter.fingerprint(browser(), "203.0.113.7");
    String b = new Fingerprinter(SECRET, DEFAULT_SIGNALS, 24, 48).fingerprint(browser(), "203.0.113.7");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void outputIs43CharactersOfBase64UrlWithoutPadding() {
    assertThat(fingerprinter.fingerprint(browser(), "203.0.113.7")).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void addressesInTheSameSlash24GiveTheSameFingerprint() {
    assertThat(fingerprinter.fingerprint(browser(), "203.0.113.7"))
        .isEqualTo(fingerprinter.fingerprint(browser(), "203.0.113.254"));
  }

  @Test
  void addressesInDifferentSlash24sDiffer() {
    assertThat(fingerprinter.fingerprint(browser(), "203.0.113.7"))
        .isNotEqualTo(fingerprinter.fingerprint(browser(), "203.0.114.7"));
  }

  @Test
  void ipv6AddressesInTheSameSlash48GiveTheSameFingerprint() {
    assertThat(fingerprinter.fingerprint(browser(), "2001:db8:abcd:1::1"))
        .isEqualTo(fingerprinter.fingerprint(browser(), "[2001:db8:abcd:ffff::99]"))
        .isNotEqualTo(fingerprinter.fingerprint(browser(), "2001:db8:abce::1"));
  }

  @Test
  void ipv4MappedIpv6CountsAsIpv4() {
    assertThat(fingerprinter.fingerprint(browser(), "::ffff:203.0.113.9"))
        .isEqualTo(fingerprinter.fingerprint(browser(), "203.0.113.7"));
  }

  @Test
  void configuredPrefixIsUsed() {
    Fingerprinter slash16 = new Fingerprinter(SECRET, DEFAULT_SIGNALS, 16, 48);
    assertThat(slash16.fingerprint(browser(), "203.0.1.1")).isEqualTo(slash16.fingerprint(browser(), "203.0.200.2"));
  }

  @Test
  void differentSecretGivesADifferentFingerprint() {
    Fingerprinter other = new Fingerprinter(Keys.of("another-secret-0123456789-0123456789"),
        DEFAULT_SIGNALS, 24, 48);
    assertThat(other.fingerprint(browser(), "203.0.113.7"))
        .isNotEqualTo(fingerprinter.fingerprint(browser(), "203.0.113.7"));
  }

  @Test
  void differentUserAgentOrLanguageDiffers() {
    String base = fingerprinter.fingerprint(browser(), "203.0.113.7");
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders("User-Agent", CHROME + "x",
        "Accept-Language", "de-DE,de;q=0.9,en;q=0.8"), "203.0.113.7")).isNotEqualTo(base);
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders("User-Agent", CHROME,
        "Accept-Language", "en-US"), "203.0.113.7")).isNotEqualTo(base);
  }

  @Test
  void encodingIsUnambiguousWhenAValueMovesBetweenSignals() {
    Fingerprinter headersOnly = new Fingerprinter(SECRET, List.of("user-agent", "accept-language"), 24, 48);
    String a = headersOnly.fingerprint(FakeRequest.withHeaders("User-Agent", "ab", "Accept-Language", "c"), null);
    String b = headersOnly.fingerprint(FakeRequest.withHeaders("User-Agent", "a", "Accept-Language", "bc"), null);
    String c = headersOnly.fingerprint(FakeRequest.withHeaders("User-Agent", "abc"), null);
    String d = headersOnly.fingerprint(FakeRequest.withHeaders("Accept-Language", "abc"), null);
    assertThat(Set.of(a, b, c, d)).hasSize(4);
  }

  @Test
  void outputContainsNoRawIpOrHeader() {
    String fp = fingerprinter.fingerprint(browser(), "203.0.113.7");
    assertThat(fp).doesNotContain("203").doesNotContain("113").doesNotContain("Chrome").doesNotContain("de-DE");
  }

  @Test
  void noUsableSignalGivesNull() {
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders(), null)).isNull();
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders("User-Agent", "  "), "not-an-ip")).isNull();
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders("Accept", "text/html"), "")).isNull();
  }

  @Test
  void oneSignalIsEnough() {
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders(), "203.0.113.7")).isNotNull();
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders("User-Agent", CHROME), null)).isNotNull();
  }

  @Test
  void clientHintHeadersAreSignalsWhenConfigured() {
    Fingerprinter hints = new Fingerprinter(SECRET,
        List.of("sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "accept", "accept-encoding"), 24, 48);
    String a = hints.fingerprint(FakeRequest.withHeaders("Sec-CH-UA", "\"Chromium\";v=\"131\"",
        "Sec-CH-UA-Mobile", "?0", "Sec-CH-UA-Platform", "\"Windows\""), null);
    String b = hints.fingerprint(FakeRequest.withHeaders("Sec-CH-UA", "\"Chromium\";v=\"131\"",
        "Sec-CH-UA-Mobile", "?1", "Sec-CH-UA-Platform", "\"Windows\""), null);
    assertThat(a).isNotNull().isNotEqualTo(b);
  }

  @Test
  void repeatedHeaderLinesAreJoined() {
    Fingerprinter accept = new Fingerprinter(SECRET, List.of("accept"), 24, 48);
    assertThat(accept.fingerprint(FakeRequest.withHeaders("Accept", "text/html", "Accept", "*/*"), null))
        .isEqualTo(accept.fingerprint(FakeRequest.withHeaders("Accept", "text/html, */*"), null));
  }

  @Test
  void signalOrderAndCaseFollowSettings() {
    Fingerprinter upper = new Fingerprinter(SECRET, List.of("IP", "User-Agent", "Accept-Language"), 24, 48);
    assertThat(upper.fingerprint(browser(), "203.0.113.7")).isEqualTo(fingerprinter.fingerprint(browser(), "203.0.113.7"));
  }

  @Test
  void settingsWithoutSecretUseARandomKeyPerBoot() {
    String a = new Fingerprinter(Settings.of(Map.of())).fingerprint(browser(), "203.0.113.7");
    String b = new Fingerprinter(Settings.of(Map.of())).fingerprint(browser(), "203.0.113.7");
    assertThat(a).isNotNull().isNotEqualTo(b);
  }

  @Test
  void settingsWithSecretAreStableAcrossBoots() {
    assertThat(new Fingerprinter(Settings.of(Map.of("secret", SECRET_TEXT))).fingerprint(browser(), "203.0.113.7"))
        .isEqualTo(new Fingerprinter(Settings.of(Map.of("secret", SECRET_TEXT))).fingerprint(browser(), "203.0.113.7"))
        .isEqualTo(fingerprinter.fingerprint(browser(), "203.0.113.7"));
  }

  @Test
  void isThreadSafe() {
    String expected = fingerprinter.fingerprint(browser(), "203.0.113.7");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    IntStream.range(0, 2_000).parallel().forEach(i -> seen.add(fingerprinter.fingerprint(browser(), "203.0.113." + (i % 256))));
    assertThat(seen).containsExactly(expected);
  }

  @Test
  void manyDevicesGiveDistinctFingerprints() {
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      all.add(fingerprinter.fingerprint(browser(), "10." + (i / 256) + "." + (i % 256) + ".1"));
    }
    assertThat(all).hasSize(1_000);
  }

  /**
   * The fingerprint is HMAC-SHA-256, under {@code HMAC(secret, "audiencekit fingerprint v1")}, of each
   * signal as (int length, name bytes, int length or -1, value bytes), computed here independently:
   * fingerprints already in a persistent store must not change when the implementation does.
   */
  @Test
  void fingerprintIsTheHmacOfTheLengthPrefixedSignalsUnderTheDerivedKey() throws Exception {
    javax.crypto.Mac derive = javax.crypto.Mac.getInstance("HmacSHA256");
    derive.init(new javax.crypto.spec.SecretKeySpec(SECRET_TEXT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] key = derive.doFinal("audiencekit fingerprint v1".getBytes(StandardCharsets.US_ASCII));
    java.nio.ByteBuffer input = java.nio.ByteBuffer.allocate(1024);
    byte[][] signals = {
        "ip".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 203, 0, 113, 0},
        "user-agent".getBytes(StandardCharsets.US_ASCII), CHROME.getBytes(StandardCharsets.UTF_8),
        "accept-language".getBytes(StandardCharsets.US_ASCII), "de-DE,de;q=0.9,en;q=0.8".getBytes(StandardCharsets.UTF_8)};
    for (byte[] part : signals) {
      input.putInt(part.length).put(part);
    }
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
    mac.update(input.array(), 0, input.position());
    String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());

    assertThat(fingerprinter.fingerprint(browser(), "203.0.113.7")).isEqualTo(expected);

    java.nio.ByteBuffer absent = java.nio.ByteBuffer.allocate(1024);
    absent.putInt(2).put(signals[0]).putInt(4).put(signals[1]);
    absent.putInt(10).put(signals[2]).putInt(-1);
    absent.putInt(15).put(signals[4]).putInt(-1);
    mac.update(absent.array(), 0, absent.position());
    assertThat(fingerprinter.fingerprint(FakeRequest.withHeaders(), "203.0.113.7"))
        .isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal()));
  }
}
