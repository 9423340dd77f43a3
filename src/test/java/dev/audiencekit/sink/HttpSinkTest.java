package dev.audiencekit.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpSinkTest {
  private final Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterInSeconds() {
    assertThat(HttpSink.parseRetryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAsHttpDate() {
    assertThat(HttpSink.parseRetryAfter("Sat, 01 Mar 2025 10:00:30 GMT", clock)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterInThePastIsZeroAndGarbageIsIgnored() {
    assertThat(HttpSink.parseRetryAfter("Sat, 01 Mar 2025 09:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
    assertThat(HttpSink.parseRetryAfter("soon", clock)).isNull();
    assertThat(HttpSink.parseRetryAfter("-3", clock)).isNull();
    assertThat(HttpSink.parseRetryAfter(null, clock)).isNull();
  }

  @Test
  void bodyWrapsEventsWithSentAtInUtcMilliseconds() {
    byte[] body = HttpSink.body(List.of("{\"a\":1}", "{\"b\":2}"), Instant.parse("2025-03-01T10:00:00.123Z"));
    assertThat(new String(body, StandardCharsets.UTF_8))
        .isEqualTo("{\"batch\":[{\"a\":1},{\"b\":2}],\"sentAt\":\"2025-03-01T10:00:00.123Z\"}");
  }

  @Test
  void failureMessageMasksCredentialsInTheEndpoint() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpSink sink = new HttpSink(java.net.URI.create("http://ak:Zq7x@127.0.0.1:" + closedPort + "/v1?api_key=Zq7y"),
        "wk", Duration.ofSeconds(2), clock, "test-http");
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.deliver(List.of("{}")))
          .isInstanceOf(SinkException.class)
          .hasMessageContaining("127.0.0.1")
          .hasMessageNotContaining("Zq7");
    } finally {
      sink.close();
    }
  }
}
