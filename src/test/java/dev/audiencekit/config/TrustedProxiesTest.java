package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = new TrustedProxies(
      List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"), Cidr.parse("192.0.2.1")),
      Settings.RemoteIpHeader.X_FORWARDED_FOR);

  @Test
  void containsAnAddressOfAnyBlock() {
    assertThat(proxies.contains(Cidr.parseLiteral("10.9.9.9"))).isTrue();
    assertThat(proxies.contains(Cidr.parseLiteral("fd12::1"))).isTrue();
    assertThat(proxies.contains(Cidr.parseLiteral("192.0.2.1"))).isTrue();
  }

  @Test
  void doesNotContainAnAddressJustOutsideTheBlocks() {
    assertThat(proxies.contains(Cidr.parseLiteral("11.0.0.1"))).isFalse();
    assertThat(proxies.contains(Cidr.parseLiteral("9.255.255.255"))).isFalse();
    assertThat(proxies.contains(Cidr.parseLiteral("fe00::1"))).isFalse();
    assertThat(proxies.contains(Cidr.parseLiteral("192.0.2.2"))).isFalse();
  }

  @Test
  void anIpv4BlockDoesNotContainAnIpv6Address() {
    assertThat(new TrustedProxies(List.of(Cidr.parse("0.0.0.0/0")), Settings.RemoteIpHeader.FORWARDED)
        .contains(Cidr.parseLiteral("2001:db8::1"))).isFalse();
  }

  @Test
  void aBlockWithAnOddPrefixComparesOnlyItsBits() {
    TrustedProxies odd = new TrustedProxies(List.of(Cidr.parse("172.16.0.0/12")), Settings.RemoteIpHeader.FORWARDED);

    assertThat(odd.contains(Cidr.parseLiteral("172.31.255.255"))).isTrue();
    assertThat(odd.contains(Cidr.parseLiteral("172.32.0.0"))).isFalse();
  }
}
