package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CookieDomainsTest {
  private static final CookieDomains AUTO = CookieDomains.of("auto");

  @ParameterizedTest
  @CsvSource({
      "example.com, example.com",
      "www.example.com, example.com",
      "a.b.example.com, example.com",
      "www.example.co.uk, example.co.uk",
      "example.co.uk, example.co.uk",
      "foo.herokuapp.com, foo.herokuapp.com",
      "a.foo.herokuapp.com, foo.herokuapp.com",
      "gist.github.com, github.com",
      "user.github.io, user.github.io",
      "app.segment.io, segment.io",
      "shop.example.unknowntld, example.unknowntld",
      "a.b.c.kawasaki.jp, b.c.kawasaki.jp",
      "www.city.kawasaki.jp, city.kawasaki.jp",
      "x.y.ck, x.y.ck",
      "a.www.ck, www.ck",
      "www.ck, www.ck",
  })
  void autoUsesTheRegistrableDomain(String host, String domain) {
    assertThat(AUTO.domainFor(host)).isEqualTo(domain);
  }

  @ParameterizedTest
  @ValueSource(strings = {"com", "co.uk", "herokuapp.com", "github.io", "y.ck", "c.kawasaki.jp"})
  void autoIsHostOnlyForAPublicSuffix(String host) {
    assertThat(AUTO.domainFor(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "192.168.1.20:8080", "[::1]", "[2001:db8::1]:443", "::1", "10.1.2.3.", "0x7f.1"})
  void autoIsHostOnlyForIpAddresses(String host) {
    assertThat(AUTO.domainFor(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "localhost:3000", "intranet", "dev:3000"})
  void autoIsHostOnlyForSingleLabelHosts(String host) {
    assertThat(AUTO.domainFor(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "a..b.com", "-", "exa mple.com", "a.com/x", "a.com;b", "\u0000.com", ":80"})
  void autoIsHostOnlyForGarbage(String host) {
    assertThat(AUTO.domainFor(host)).isNull();
  }

  @Test
  void wildcardRuleDoesNotMakeItsParentASuffix() {
    // "*.kawasaki.jp" covers the names below kawasaki.jp; kawasaki.jp itself falls under "jp".
    assertThat(AUTO.domainFor("kawasaki.jp")).isEqualTo("kawasaki.jp");
  }

  @Test
  void autoIsHostOnlyForAMissingHost() {
    assertThat(AUTO.domainFor(null)).isNull();
  }

  @Test
  void autoIgnoresCasePortAndTrailingDot() {
    assertThat(AUTO.domainFor("WWW.Example.COM.:8443")).isEqualTo("example.com");
  }

  @Test
  void autoConvertsInternationalNamesToAscii() {
    assertThat(AUTO.domainFor("www.bücher.de")).isEqualTo("xn--bcher-kva.de");
  }

  @Test
  void autoMatchesInternationalSuffixRules() {
    // 公司.cn is an ICANN rule written in Unicode in the list.
    assertThat(AUTO.domainFor("shop.example.公司.cn")).isEqualTo("example.xn--55qx5d.cn");
  }

  @Test
  void autoIsHostOnlyForNamesIdnRefuses() {
    assertThat(AUTO.domainFor("a\u3002\u3002b.com")).isNull();
    assertThat(AUTO.domainFor("x".repeat(64) + "é.com")).isNull();
  }

  @Test
  void autoCacheStaysBounded() {
    for (int i = 0; i < CookieDomains.CACHE_LIMIT * 2 + 10; i++) {
      assertThat(AUTO.domainFor("h" + i + ".example.com")).isEqualTo("example.com");
    }
  }

  @Test
  void noneIsAlwaysHostOnly() {
    assertThat(CookieDomains.of("none").domainFor("www.example.com")).isNull();
  }

  @Test
  void explicitDomainIsUsedForItself() {
    assertThat(CookieDomains.of("example.com").domainFor("example.com:8080")).isEqualTo("example.com");
  }

  @Test
  void explicitDomainIsUsedForSubdomains() {
    assertThat(CookieDomains.of("shop.example.com").domainFor("a.b.Shop.Example.com")).isEqualTo("shop.example.com");
  }

  @Test
  void explicitDomainWithLeadingDotIsAccepted() {
    assertThat(CookieDomains.of(".example.com").domainFor("www.example.com")).isEqualTo("example.com");
  }

  @Test
  void explicitDomainIsHostOnlyForOtherHosts() {
    CookieDomains d = CookieDomains.of("example.com");

    assertThat(d.domainFor("other.com")).isNull();
    assertThat(d.domainFor("badexample.com")).isNull();
    assertThat(d.domainFor("127.0.0.1")).isNull();
  }

  @Test
  void explicitPublicSuffixIsHostOnly() {
    assertThat(CookieDomains.of("co.uk").domainFor("www.example.co.uk")).isNull();
  }

  @Test
  void explicitIpAddressIsRejected() {
    assertThatThrownBy(() -> CookieDomains.of("10.0.0.1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void registrableDomainOfAnIpIsNull() {
    assertThat(CookieDomains.registrableDomain("8.8.8.8")).isNull();
  }

  @Test
  void bundledListCarriesBothSections() throws Exception {
    try (var in = CookieDomains.class.getResourceAsStream(PublicSuffixList.RESOURCE)) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(text).contains("===BEGIN ICANN DOMAINS===").contains("===BEGIN PRIVATE DOMAINS===");
    }
  }

  @Test
  void listParserHandlesWildcardExceptionAndComments() throws Exception {
    PublicSuffixList list = PublicSuffixList.parse(new BufferedReader(new StringReader(
        "// comment\nfoo\n*.bar\n!keep.bar\nbaz.foo extra text\n\n")));

    assertThat(list.registrableDomain("a.foo")).isEqualTo("a.foo");
    assertThat(list.registrableDomain("x.baz.foo")).isEqualTo("x.baz.foo");
    assertThat(list.registrableDomain("a.b.bar")).isEqualTo("a.b.bar");
    assertThat(list.registrableDomain("b.bar")).isNull();
    assertThat(list.registrableDomain("x.keep.bar")).isEqualTo("keep.bar");
    assertThat(list.registrableDomain("a.other")).isEqualTo("a.other");
  }
}
