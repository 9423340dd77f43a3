package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostAndPortTest {

  @ParameterizedTest
  @ValueSource(strings = {"example.com", "a-b.example.com:8080", "localhost", "127.0.0.1:80", "[::1]", "[2001:db8::1]:443",
      "example.com.", "under_score.example.com"})
  void acceptsValidHosts(String text) {
    assertThat(HostAndPort.parse(text)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a b", "a/b", "a@b", "example.com:", "example.com:0", "example.com:65536", "example.com:80x",
      "a..b", ".a", "[::1", "[zz::1]", "[::1]x", "[::1]:", "a:1:2", "évil.com", "x\r\ny"})
  void rejectsInvalidHosts(String text) {
    assertThat(HostAndPort.parse(text)).isNull();
  }

  @Test
  void rejectsOverlongHosts() {
    assertThat(HostAndPort.parse("a".repeat(300))).isNull();
    assertThat(HostAndPort.parse("a".repeat(64) + ".com")).isNull();
  }

  @Test
  void lowerCasesTheHost() {
    assertThat(HostAndPort.parse("WWW.EXAMPLE.COM:81")).isEqualTo(new HostAndPort("www.example.com", 81));
  }

  @Test
  void authorityLeavesOutDefaultPorts() {
    assertThat(new HostAndPort("a.com", 80).authority("http")).isEqualTo("a.com");
    assertThat(new HostAndPort("a.com", 443).authority("https")).isEqualTo("a.com");
    assertThat(new HostAndPort("a.com", 443).authority("http")).isEqualTo("a.com:443");
    assertThat(new HostAndPort("a.com", -1).authority("https")).isEqualTo("a.com");
  }
}
