package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.Settings.SameSite;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetCookieHeaderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC);
  private static final SetCookieHeader HEADERS = new SetCookieHeader(CLOCK);
  private static final long YEAR = 365L * 86_400;

  private static CookieAttributes attrs(String domain, boolean secure, boolean httpOnly) {
    return new CookieAttributes(domain, YEAR, SameSite.LAX, secure, httpOnly);
  }

  @Test
  void writesEveryAttributeInOrder() {
    String header = HEADERS.set("ajs_anonymous_id", "abc", attrs("example.com", true, true));

    assertThat(header).isEqualTo("ajs_anonymous_id=abc; Path=/; Max-Age=31536000; "
        + "Expires=Wed, 04 Mar 2026 05:06:07 GMT; Domain=example.com; SameSite=Lax; Secure; HttpOnly");
  }

  @Test
  void hostOnlyCookieHasNoDomain() {
    assertThat(HEADERS.set("a", "b", attrs(null, false, false)))
        .isEqualTo("a=b; Path=/; Max-Age=31536000; Expires=Wed, 04 Mar 2026 05:06:07 GMT; SameSite=Lax");
  }

  @Test
  void writesTheConfiguredSameSite() {
    assertThat(HEADERS.set("a", "b", new CookieAttributes(null, 10, SameSite.STRICT, false, false)))
        .contains("; SameSite=Strict");
    assertThat(HEADERS.set("a", "b", new CookieAttributes(null, 10, SameSite.NONE, true, false)))
        .endsWith("; SameSite=None; Secure");
  }

  @Test
  void expiresFollowsTheClock() {
    SetCookieHeader later = new SetCookieHeader(Clock.offset(CLOCK, java.time.Duration.ofDays(1)));

    assertThat(later.set("a", "b", new CookieAttributes(null, 60, SameSite.LAX, false, false)))
        .contains("Max-Age=60; Expires=Wed, 05 Mar 2025 05:07:07 GMT");
  }

  @Test
  void deletionHasEmptyValueMaxAgeZeroAndEpochExpires() {
    assertThat(HEADERS.delete("ajs_user_id", attrs("example.com", true, false)))
        .isEqualTo("ajs_user_id=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
            + "Domain=example.com; SameSite=Lax; Secure");
  }

  @Test
  void httpDateIsImfFixdateWithTwoDigitDays() {
    assertThat(SetCookieHeader.httpDate(Instant.parse("1994-11-06T08:49:37Z").getEpochSecond()))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a;b", "a,b", "a\"b", "a\\b", "a\rb", "a\nb", "é", "a\u0000"})
  void valueThatIsNotCookieOctetsIsRejected(String value) {
    assertThatThrownBy(() -> HEADERS.set("a", value, attrs(null, false, false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a=b", "a;b", "a\r\nSet-Cookie: x", "a(b)", "é"})
  void nameThatIsNotATokenIsRejected(String name) {
    assertThatThrownBy(() -> HEADERS.set(name, "v", attrs(null, false, false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsEveryCookieOctet() {
    StringBuilder all = new StringBuilder();
    for (char c = 0x21; c < 0x7f; c++) {
      if (SetCookieHeader.isCookieOctet(c)) {
        all.append(c);
      }
    }

    assertThat(HEADERS.set("a", all.toString(), attrs(null, false, false))).startsWith("a=" + all + ";");
    assertThat(all).hasSize(90);
  }

  @Test
  void headerOf4096BytesOrMoreIsRejected() {
    assertThatThrownBy(() -> HEADERS.set("a", "x".repeat(4096), attrs(null, false, false)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4096");
  }

  @Test
  void longestEncodedIdFitsInAHeader() {
    String value = CookieValueEncoder.encodeClassic("\"".repeat(256));

    assertThat(HEADERS.set("ajs_anonymous_id", value, attrs("example.com", true, true)).length()).isLessThan(4096);
  }

  @Test
  void clockIsRequired() {
    assertThatThrownBy(() -> new SetCookieHeader(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
