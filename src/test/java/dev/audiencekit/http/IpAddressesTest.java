package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

  @ParameterizedTest
  @CsvSource({
      "203.0.113.77, 203.0.113.0",
      "10.1.2.3, 10.1.2.0",
      "2001:db8:1:2::5, 2001:db8:1::",
      "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff, 2001:db8:abcd::",
      "::1, ::",
      "[2001:db8::1], 2001:db8::",
      "::ffff:198.51.100.7, 198.51.100.0",
  })
  void truncateZeroesTheLastOctetOrTheLast80Bits(String ip, String expected) {
    assertThat(IpAddresses.truncate(ip)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3", "1.2.3.4 ", "1234.1.1.1",
      ":::", "g::1"})
  void truncateOfSomethingElseIsNull(String text) {
    assertThat(IpAddresses.truncate(text)).isNull();
  }

  @Test
  void truncateOfNullIsNull() {
    assertThat(IpAddresses.truncate(null)).isNull();
  }

  @Test
  void maskKeepsTheGivenPrefixes() {
    assertThat(IpAddresses.mask("203.0.113.77", 16, 48)).isEqualTo("203.0.0.0");
    assertThat(IpAddresses.mask("2001:db8:1:2::5", 24, 32)).isEqualTo("2001:db8::");
  }

  @ParameterizedTest
  @CsvSource({
      "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "0:0:0:0:0:0:0:0, ::",
      "fe80:0:0:0:0:0:0:0, fe80::",
      "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
  })
  void formatsIpv6AsRfc5952(String ip, String expected) {
    assertThat(IpAddresses.format(IpAddresses.parse(ip))).isEqualTo(expected);
  }

  @Test
  void parsesIpv4WithoutDns() {
    assertThat(IpAddresses.parse("192.0.2.1")).containsExactly(192, 0, 2, 1);
  }
}
