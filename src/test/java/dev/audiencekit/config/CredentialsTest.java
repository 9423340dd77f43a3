package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every credential in a URL is masked; "Zq7" starts every credential below and nothing else. */
class CredentialsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:postgresql://db/app?user=ak&password=Zq7-secret",
      "jdbc:postgresql://db/app?password=Zq7-secret&ssl=true",
      "jdbc:postgresql://db/app?PASSWORD=Zq7-secret",
      "jdbc:postgresql://db/app?password=Zq7;x&ssl=true",
      "jdbc:postgresql://db/app?password=Zq7&x",
      "jdbc:postgresql://db/app?sslpassword=Zq7x&sslmode=verify-full",
      "jdbc:postgresql://db/app?sslPassword=Zq7x",
      "jdbc:mysql://db:3306/app?user=ak&pwd=Zq7x",
      "jdbc:mysql://db:3306/app?trustCertificateKeyStorePassword=Zq7x&useSSL=true",
      "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Zq7{;}x;encrypt=true",
      "jdbc:h2:file:./data/ak;USER=sa;PASSWORD=Zq7x",
      "jdbc:h2:file:./data/ak;PASSWORD = Zq7x",
      "jdbc:postgresql://ak:Zq7x@db:5432/app",
      "jdbc:mysql://ak:Zq7@secret@db:3306/app",
      "jdbc:mysql://Zq7-only-user@db/app",
      "jdbc:oracle:thin:scott/Zq7x@//db:1521/svc",
      "jdbc:oracle:thin:scott/Zq7x@db:1521:orcl",
      "https://ak:Zq7x@collector.example.com/v1",
      "https://Zq7token@collector.example.com/v1",
      "https://collector.example.com/v1?api_key=Zq7x",
      "https://collector.example.com/v1?apiKey=Zq7x&x=1",
      "https://collector.example.com/v1?access_token=Zq7x",
      "https://collector.example.com/v1?secret=Zq7x",
      "http://[2001:db8::1]/v1?token=Zq7x#frag",
      "redis://:Zq7x@cache.internal:6379/0",
  })
  void credentialIsMasked(String url) {
    String masked = Credentials.mask(url);

    assertThat(masked).doesNotContain("Zq7").contains("****");
  }

  @Test
  void restOfTheUrlIsKept() {
    assertThat(Credentials.mask("jdbc:postgresql://bob:Zq7x@db/app?password=Zq7y&user=bob&ssl=true"))
        .isEqualTo("jdbc:postgresql://****@db/app?password=****&user=bob&ssl=true");
    assertThat(Credentials.mask("jdbc:sqlserver://db;user=sa;password=Zq7x;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=sa;password=****;encrypt=true");
    assertThat(Credentials.mask("jdbc:oracle:thin:scott/Zq7x@//db:1521/svc")).isEqualTo("jdbc:oracle:thin:****@//db:1521/svc");
  }

  @Test
  void urlWithoutCredentialsIsUnchanged() {
    for (String url : new String[] {"memory", "jdbc:h2:mem:x", "jdbc:postgresql://db:5432/app?ssl=true&user=ak",
        "https://cdp.customer.io/v1", "jndi:java:comp/env/jdbc/analytics", "jdbc:oracle:thin:@//db:1521/svc",
        "com.example.MyStore", "jsonl:/var/log/events.jsonl"}) {
      assertThat(Credentials.mask(url)).isEqualTo(url);
    }
  }

  @Test
  void nullStaysNull() {
    assertThat(Credentials.mask(null)).isNull();
  }
}
