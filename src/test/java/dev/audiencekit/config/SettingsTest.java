package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static Settings parse(String... pairs) {
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    return Settings.of(params);
  }

  private static void assertRejected(String name, String value, String... fragments) {
    assertThatThrownBy(() -> parse(name, value))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param " + name + ":")
        .hasMessageContaining(value.isEmpty() ? "" : "'" + value + "'")
        .hasMessageContaining(fragments.length > 0 ? fragments[0] : "")
        .extracting(e -> ((InvalidSettingException) e).parameter()).isEqualTo(name);
  }

  @Test
  void defaultsMatchTheSpecification() {
    Settings settings = parse();
    assertThat(settings.endpoint()).hasToString("https://cdp.customer.io/v1");
    assertThat(settings.sinks()).containsExactly("log");
    assertThat(settings.cookieDomain()).isEqualTo("auto");
    assertThat(settings.cookieMaxAgeDays()).isEqualTo(365);
    assertThat(settings.cookieSameSite()).isEqualTo(Settings.SameSite.LAX);
    assertThat(settings.cookieSecure()).isEqualTo(Settings.Secure.AUTO);
    assertThat(settings.cookieFormat()).isEqualTo(Settings.CookieFormat.NEXT);
    assertThat(settings.backupCookie()).isEqualTo("ak_anonymous_id");
    assertThat(settings.backupCookieMaxAgeDays()).isEqualTo(400);
    assertThat(settings.persist()).isTrue();
    assertThat(settings.store()).isEqualTo("memory");
    assertThat(settings.storeTtlDays()).isEqualTo(400);
    assertThat(settings.storeMaxEntries()).isEqualTo(1_000_000);
    assertThat(settings.storeTimeoutMs()).isEqualTo(50);
    assertThat(settings.fingerprint()).isTrue();
    assertThat(settings.fingerprintSignals()).containsExactly("ip", "user-agent", "accept-language");
    assertThat(settings.fingerprintIpv4Prefix()).isEqualTo(24);
    assertThat(settings.fingerprintIpv6Prefix()).isEqualTo(48);
    assertThat(settings.trustedProxies().blocks()).extracting(Cidr::toString).containsExactly("127.0.0.0/8", "::1");
    assertThat(settings.privacyGpc()).isEqualTo(Settings.PrivacyMode.NO_FINGERPRINT);
    assertThat(settings.ip()).isEqualTo(Settings.IpMode.COLLECT);
    assertThat(settings.skipBots()).isTrue();
    assertThat(settings.queueCapacity()).isEqualTo(10_000);
    assertThat(settings.flushAt()).isEqualTo(100);
    assertThat(settings.flushIntervalMs()).isEqualTo(5_000);
    assertThat(settings.httpTimeoutMs()).isEqualTo(10_000);
    assertThat(settings.retryMaxBackoffMs()).isEqualTo(60_000);
    assertThat(settings.spoolDir()).isNull();
    assertThat(settings.spoolMaxBytes()).isEqualTo(268_435_456L);
    assertThat(settings.shutdownTimeoutMs()).isEqualTo(10_000);
  }

  @Test
  void writeKeyMakesHttpTheDefaultSink() {
    assertThat(parse("writeKey", "wk").sinks()).containsExactly("http");
  }

  @Test
  void sinkListIsSplitOnCommas() {
    assertThat(parse("sink", "log, jsonl:/tmp/events.jsonl,memory").sinks())
        .containsExactly("log", "jsonl:/tmp/events.jsonl", "memory");
  }

  @Test
  void unknownParameterIsRejectedByName() {
    assertThatThrownBy(() -> parse("cookie.maxage", "3"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("init-param cookie.maxage: is not a known parameter");
  }

  @Test
  void negativeCookieLifetimeIsRejected() {
    assertRejected("cookie.maxAgeDays", "-3", "whole number of days");
  }

  @Test
  void nonNumericCookieLifetimeIsRejected() {
    assertRejected("cookie.maxAgeDays", "a year", "whole number of days");
  }

  @Test
  void sameSiteAcceptsTheThreeValuesCaseInsensitively() {
    assertThat(parse("cookie.sameSite", "strict").cookieSameSite()).isEqualTo(Settings.SameSite.STRICT);
    assertThat(parse("cookie.sameSite", "None").cookieSameSite()).isEqualTo(Settings.SameSite.NONE);
    assertRejected("cookie.sameSite", "Sometimes", "Lax, Strict, None");
  }

  @Test
  void sameSiteNoneForcesSecure() {
    assertThat(parse("cookie.sameSite", "None", "cookie.secure", "false").cookieSecure())
        .isEqualTo(Settings.Secure.TRUE);
  }

  @Test
  void cookieFormatAcceptsNextAndClassic() {
    assertThat(parse("cookie.format", "classic").cookieFormat()).isEqualTo(Settings.CookieFormat.CLASSIC);
    assertRejected("cookie.format", "json", "next, classic");
  }

  @Test
  void explicitCookieDomainLosesItsLeadingDot() {
    assertThat(parse("cookie.domain", ".Example.com").cookieDomain()).isEqualTo("example.com");
    assertRejected("cookie.domain", "exa mple.com", "auto, none");
  }

  @Test
  void emptyBackupCookieDisablesIt() {
    assertThat(parse("backupCookie", "").backupCookie()).isEmpty();
  }

  @Test
  void backupCookieNameMustBeAToken() {
    assertRejected("backupCookie", "bad name;", "cookie name");
  }

  @Test
  void backupCookieMustNotShadowAnAnalyticsJsCookie() {
    assertRejected("backupCookie", "ajs_anonymous_id", "collide");
  }

  /** A secret whose first characters appear nowhere else, so any prefix of it in a message is seen. */
  private static final String SECRET = "Zq7vN2-an-example-secret-of-40-characters";

  @Test
  void persistentStoreWithoutSecretIsRejectedWhileFingerprintingIsOn() {
    assertThatThrownBy(() -> parse("store", "jdbc:h2:mem:x"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param secret:")
        .hasMessageContaining("AUDIENCEKIT_SECRET");
    assertThat(parse("store", "jdbc:h2:mem:x", "fingerprint", "off").store()).isEqualTo("jdbc:h2:mem:x");
    assertThat(parse("store", "jdbc:h2:mem:x", "secret", SECRET).keys().configured()).isTrue();
  }

  @Test
  void memoryStoreWithoutSecretGetsRandomKeysPerBoot() {
    assertThat(parse().keys().configured()).isFalse();
    assertThat(parse().keys().derive("fingerprint")).isNotEqualTo(parse().keys().derive("fingerprint"));
  }

  @Test
  void secretGivesTheSameKeysOnEveryBoot() {
    assertThat(parse("secret", SECRET).keys().derive("fingerprint"))
        .isEqualTo(parse("secret", SECRET).keys().derive("fingerprint"));
  }

  @Test
  void secretShorterThan32CharactersIsRejectedWithoutShowingIt() {
    String short31 = SECRET.substring(0, 31);

    assertThatThrownBy(() -> parse("secret", short31))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param secret:")
        .hasMessageContaining("at least 32")
        .hasMessageNotContaining("Zq");
    assertThat(parse("secret", SECRET.substring(0, 32)).keys().configured()).isTrue();
  }

  @Test
  void formerSecretNameIsRefusedByNameWithoutShowingTheValue() {
    assertThatThrownBy(() -> parse("fingerprint.secret", SECRET))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param fingerprint.secret:")
        .hasMessageContaining("use secret")
        .hasMessageNotContaining("Zq");
  }

  @Test
  void formerSecretNameIsRefusedAsSystemProperty() {
    assertThatThrownBy(() -> Settings.parse(java.util.List.of(), name -> null,
        Map.of("audiencekit.fingerprint.secret", SECRET)::get, name -> null))
        .hasMessageStartingWith("init-param fingerprint.secret:")
        .hasMessageContaining("use secret")
        .hasMessageNotContaining("Zq");
  }

  @Test
  void formerSecretNameIsRefusedAsEnvironmentVariable() {
    assertThatThrownBy(() -> Settings.parse(java.util.List.of(), name -> null, name -> null,
        Map.of("AUDIENCEKIT_FINGERPRINT_SECRET", SECRET)::get))
        .hasMessageStartingWith("init-param fingerprint.secret:")
        .hasMessageContaining("use secret")
        .hasMessageNotContaining("Zq");
  }

  @Test
  void minDormancyIs24HoursByDefault() {
    assertThat(parse().fingerprintMinDormancy()).isEqualTo(java.time.Duration.ofHours(24));
  }

  @Test
  void minDormancyOfZeroDisablesTheWait() {
    assertThat(parse("fingerprint.minDormancyHours", "0").fingerprintMinDormancy()).isZero();
    assertThat(parse("fingerprint.minDormancyHours", "168").fingerprintMinDormancy())
        .isEqualTo(java.time.Duration.ofDays(7));
  }

  @Test
  void minDormancyMustBeAWholeNumberOfHours() {
    assertRejected("fingerprint.minDormancyHours", "-1", "whole number of hours ≥ 0");
    assertRejected("fingerprint.minDormancyHours", "1.5", "whole number of hours ≥ 0");
  }

  @Test
  void storeAcceptsMemoryJdbcJndiAndClassNames() {
    assertThat(parse("store", "jndi:java:comp/env/jdbc/analytics", "fingerprint", "off").store())
        .startsWith("jndi:");
    assertThat(parse("store", "com.example.MyStore", "fingerprint", "off").store()).isEqualTo("com.example.MyStore");
    assertRejected("store", "redis://localhost", "memory, a jdbc: URL");
  }

  @Test
  void unknownSinkIsRejected() {
    assertRejected("sink", "kafka", "http, log, jsonl:<file>");
  }

  @Test
  void jsonlSinkNeedsAFile() {
    assertRejected("sink", "jsonl:", "names no file");
  }

  @Test
  void endpointMustBeAnAbsoluteHttpUrl() {
    assertRejected("endpoint", "cdp.customer.io/v1", "absolute http");
    assertThat(parse("endpoint", "http://127.0.0.1:9/v1/").endpoint()).hasToString("http://127.0.0.1:9/v1");
  }

  @Test
  void trustedProxiesMustBeAddressBlocks() {
    assertThat(parse("trustedProxies", "10.0.0.0/8, fd00::/8").trustedProxies().blocks()).hasSize(2);
    assertRejected("trustedProxies", "proxy.example.com", "CIDR");
  }

  @Test
  void remoteIpHeaderIsForwardedForByDefault() {
    assertThat(parse().remoteIpHeader()).isEqualTo(Settings.RemoteIpHeader.X_FORWARDED_FOR);
    assertThat(parse().trustedProxies().header()).isEqualTo(Settings.RemoteIpHeader.X_FORWARDED_FOR);
  }

  @Test
  void remoteIpHeaderAcceptsTheTwoFamilies() {
    assertThat(parse("remoteIpHeader", "forwarded").trustedProxies().header())
        .isEqualTo(Settings.RemoteIpHeader.FORWARDED);
    assertThat(parse("remoteIpHeader", "X-Forwarded-For").remoteIpHeader())
        .isEqualTo(Settings.RemoteIpHeader.X_FORWARDED_FOR);
  }

  @Test
  void remoteIpHeaderRejectsOtherHeaders() {
    assertRejected("remoteIpHeader", "x-real-ip", "x-forwarded-for, forwarded");
  }

  @Test
  void unknownFingerprintSignalIsRejected() {
    assertThatThrownBy(() -> parse("fingerprint.signals", "ip,cookie"))
        .hasMessageStartingWith("init-param fingerprint.signals: 'cookie' is not a known signal");
  }

  @Test
  void privacyAndIpModes() {
    assertThat(parse("privacy.gpc", "no-tracking").privacyGpc()).isEqualTo(Settings.PrivacyMode.NO_TRACKING);
    assertThat(parse("ip", "truncate").ip()).isEqualTo(Settings.IpMode.TRUNCATE);
    assertRejected("privacy.gpc", "maybe", "no-fingerprint, no-tracking, ignore");
  }

  @Test
  void excludePatternsMustLookLikePaths() {
    assertThat(parse("exclude", "/static/*,*.css").exclude()).containsExactly("/static/*", "*.css");
    assertRejected("exclude", "/static/*.css", "path pattern");
  }

  @Test
  void flushAtIsBoundedByTheBatchLimit() {
    assertRejected("flushAt", "5000", "from 1 to 2500");
  }

  @Test
  void persistAcceptsOnlyBooleans() {
    assertThat(parse("persist", "false").persist()).isFalse();
    assertRejected("persist", "no", "true or false");
  }

  @Test
  void systemPropertyOverridesEnvironmentWhichOverridesInitParam() {
    Map<String, String> init = Map.of("cookie.maxAgeDays", "10");
    Map<String, String> env = Map.of("AUDIENCEKIT_COOKIE_MAXAGEDAYS", "20");
    Map<String, String> props = Map.of("audiencekit.cookie.maxAgeDays", "30");
    assertThat(Settings.parse(init.keySet(), init::get, name -> null, name -> null).cookieMaxAgeDays()).isEqualTo(10);
    assertThat(Settings.parse(init.keySet(), init::get, name -> null, env::get).cookieMaxAgeDays()).isEqualTo(20);
    assertThat(Settings.parse(init.keySet(), init::get, props::get, env::get).cookieMaxAgeDays()).isEqualTo(30);
  }

  @Test
  void environmentNameIsUpperCaseWithUnderscores() {
    assertThat(Settings.environmentName("fingerprint.minDormancyHours"))
        .isEqualTo("AUDIENCEKIT_FINGERPRINT_MINDORMANCYHOURS");
  }

  @Test
  void summaryShowsOnlyThatTheWriteKeyAndTheSecretAreSet() {
    Settings settings = parse("writeKey", "Zq7-write-key", "secret", SECRET);

    assertThat(settings.summary()).contains("writeKey=set").contains("secret=set").doesNotContain("Zq");
  }

  @Test
  void summarySaysWhenTheWriteKeyAndTheSecretAreMissing() {
    assertThat(parse().summary()).contains("writeKey=(none)").contains("secret=(none)");
  }

  @Test
  void summaryShowsNoPrefixOfEvenAShortWriteKey() {
    assertThat(parse("writeKey", "Zq").summary()).doesNotContain("Zq");
  }

  @Test
  void summaryMasksTheStorePassword() {
    Settings settings = parse("store", "jdbc:postgresql://db/app", "secret", SECRET, "store.password", "Zq7-password");

    assertThat(settings.summary()).contains("store.password=set").doesNotContain("Zq");
  }

  @Test
  void summaryMasksCredentialsInTheStoreUrl() {
    for (String url : List.of("jdbc:postgresql://db/app?user=ak&password=Zq7x&ssl=true",
        "jdbc:mysql://ak:Zq7x@db:3306/app", "jdbc:sqlserver://db;user=sa;password=Zq7{;}x;encrypt=true",
        "jdbc:oracle:thin:ak/Zq7x@//db:1521/svc", "jdbc:h2:file:./ak;PASSWORD=Zq7x")) {
      String summary = parse("store", url, "fingerprint", "off").summary();

      assertThat(summary).as(url).doesNotContain("Zq7").contains("****");
    }
  }

  @Test
  void summaryMasksCredentialsInTheEndpoint() {
    assertThat(parse("endpoint", "https://ak:Zq7x@collector.example.com/v1?api_key=Zq7y").summary())
        .contains("collector.example.com").doesNotContain("Zq7");
  }

  @Test
  void errorAboutAStoreUrlMasksItsCredentials() {
    assertThatThrownBy(() -> parse("store", "redis://ak:Zq7x@cache/0?password=Zq7y"))
        .hasMessageStartingWith("init-param store:").hasMessageNotContaining("Zq7");
    assertThatThrownBy(() -> parse("store", "jdbc:postgresql://db/app?password=Zq7y"))
        .hasMessageStartingWith("init-param secret:").hasMessageNotContaining("Zq7");
  }

  @Test
  void errorAboutAnEndpointMasksItsCredentials() {
    assertThatThrownBy(() -> parse("endpoint", "ftp://ak:Zq7x@collector.example.com/v1"))
        .hasMessageStartingWith("init-param endpoint:").hasMessageNotContaining("Zq7");
  }

  @Test
  void readmeTableListsEveryParameterWithItsDefault() throws Exception {
    Path readme = Path.of("README.md");
    assertThat(readme).exists();
    Set<String> documented = new LinkedHashSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-zA-Z0-9.]+)` \\|").matcher(Files.readString(readme));
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(Settings.NAMES);
    assertThat(List.copyOf(documented)).isEqualTo(Settings.NAMES);
  }
}
