package dev.audiencekit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code collect…} parameters of the first-party collection endpoint. */
class CollectSettingsTest {

  private static Settings parse(String... pairs) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    return Settings.of(params);
  }

  private static void assertRejected(String name, String fragment, String... pairs) {
    assertThatThrownBy(() -> parse(pairs))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("init-param " + name + ":")
        .hasMessageContaining(fragment)
        .extracting(e -> ((InvalidSettingException) e).parameter()).isEqualTo(name);
  }

  @Test
  void collectionIsOffByDefault() {
    Settings settings = parse();
    assertThat(settings.collect()).isNull();
    assertThat(settings.collectMaxEventsPerMinute()).isEqualTo(600);
    assertThat(settings.collectAllowOrigins()).isEmpty();
    assertThat(settings.collectBundle()).isNull();
  }

  @Test
  void collectTakesAPathPrefix() {
    assertThat(parse("collect", "/ak").collect()).isEqualTo("/ak");
    assertThat(parse("collect", "/t/v2.x_~-").collect()).isEqualTo("/t/v2.x_~-");
  }

  @Test
  void collectRefusesWhatIsNotAPathPrefix() {
    for (String bad : new String[] {"ak", "/", "/ak/", "/a k", "/ak/*", "/a/../b", "/./a", "/a%2fb", "/a?b", "//ak"}) {
      assertRejected("collect", "'" + bad + "' is not a path prefix such as /ak", "collect", bad);
    }
  }

  @Test
  void maxEventsPerMinuteIsAPositiveWholeNumber() {
    assertThat(parse("collect", "/ak", "collect.maxEventsPerMinute", "60").collectMaxEventsPerMinute()).isEqualTo(60);
    assertRejected("collect.maxEventsPerMinute", "'0' is not a whole number of events from 1",
        "collect", "/ak", "collect.maxEventsPerMinute", "0");
    assertRejected("collect.maxEventsPerMinute", "'many' is not a whole number",
        "collect", "/ak", "collect.maxEventsPerMinute", "many");
  }

  @Test
  void allowOriginsAreNormalisedAsBrowsersSendThem() {
    Settings settings = parse("collect", "/ak",
        "collect.allowOrigins", "https://Shop.Example.com/, http://localhost:3000,https://a.example:443,http://b.example:80");
    assertThat(settings.collectAllowOrigins()).containsExactly(
        "https://shop.example.com", "http://localhost:3000", "https://a.example", "http://b.example");
  }

  @Test
  void allowOriginsRefusesAWildcardSayingWhy() {
    assertRejected("collect.allowOrigins", "a wildcard would let any site send events",
        "collect", "/ak", "collect.allowOrigins", "*");
  }

  @Test
  void allowOriginsRefusesWhatIsNotAnOrigin() {
    for (String bad : new String[] {"shop.example.com", "ftp://x.example", "https://x.example/path",
        "https://user@x.example", "https://x.example?q", "null"}) {
      assertRejected("collect.allowOrigins", "is not an origin", "collect", "/ak", "collect.allowOrigins", bad);
    }
  }

  @Test
  void bundleIsAFileOrAClasspathResource() {
    assertThat(parse("collect", "/ak", "collect.bundle", "classpath:static/analytics.js").collectBundle())
        .isEqualTo(new Settings.BundleSource(true, "static/analytics.js"));
    assertThat(parse("collect", "/ak", "collect.bundle", "/srv/js/analytics.js").collectBundle())
        .isEqualTo(new Settings.BundleSource(false, "/srv/js/analytics.js"));
  }

  @Test
  void bundleRefusesAClasspathNameWithALeadingSlash() {
    assertRejected("collect.bundle", "without a leading /",
        "collect", "/ak", "collect.bundle", "classpath:/static/analytics.js");
    assertRejected("collect.bundle", "without a leading /", "collect", "/ak", "collect.bundle", "classpath:");
  }

  @Test
  void collectParametersWithoutCollectAreRefused() {
    assertRejected("collect.bundle", "has no effect without collect", "collect.bundle", "classpath:a.js");
    assertRejected("collect.allowOrigins", "has no effect without collect",
        "collect.allowOrigins", "https://a.example");
    assertRejected("collect.maxEventsPerMinute", "has no effect without collect",
        "collect.maxEventsPerMinute", "10");
  }
}
