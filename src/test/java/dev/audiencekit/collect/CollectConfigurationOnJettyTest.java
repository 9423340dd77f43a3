package dev.audiencekit.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collect parameters at start-up, each on its own embedded Jetty. */
class CollectConfigurationOnJettyTest {
  private Container container;

  private Browser start(String... pairs) {
    Map<String, String> params = TestApp.defaults();
    for (int i = 0; i < pairs.length; i += 2) {
      params.put(pairs[i], pairs[i + 1]);
    }
    container = Container.start(Container.Kind.JETTY, Container.testWebapp(), new TestApp(params));
    return new Browser(container.base());
  }

  @AfterEach
  void stop() {
    if (container != null) {
      container.close();
    }
  }

  @Test
  void aMissingBundleFileStopsTheApplicationNamingTheParameter(@TempDir Path dir) {
    String missing = dir.resolve("analytics.js").toString();
    assertThatThrownBy(() -> start("collect", "/ak", "collect.bundle", missing))
        .hasStackTraceContaining("init-param collect.bundle: '" + missing + "' is not a readable file");
  }

  @Test
  void aMissingClasspathBundleStopsTheApplicationNamingTheParameter() {
    assertThatThrownBy(() -> start("collect", "/ak", "collect.bundle", "classpath:static/none.js"))
        .hasStackTraceContaining("init-param collect.bundle: 'classpath:static/none.js' names no resource");
  }

  @Test
  void aBundleFileIsServedFromTheEndpoint(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("analytics.js");
    Files.writeString(file, "window.bundled = true;\n");
    Browser browser = start("collect", "/ak", "collect.bundle", file.toString());
    Browser.Response response = browser.get("/ak/analytics.js");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("window.bundled = true;\n");
  }

  @Test
  void excludePatternsDoNotHideTheEndpoint() {
    Browser browser = start("collect", "/ak", "exclude", "/static/*,*.js,/ak/*",
        "collect.bundle", "classpath:dev/audiencekit/collect/analytics-fixture.js");
    assertThat(browser.get("/ak/analytics.js").status()).isEqualTo(200);
    Browser.Response response = browser.send("POST", "/ak/v1/t", "text/plain", "{\"type\":\"track\",\"event\":\"E\"}");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.setCookie("ajs_anonymous_id")).isNotNull();
  }

  @Test
  void withoutCollectThePrefixBelongsToTheApplication() {
    Browser browser = start();
    Browser.Response response = browser.send("POST", "/ak/v1/t", "text/plain", "{\"type\":\"track\",\"event\":\"E\"}");
    assertThat(response.body()).doesNotContain("\"success\"");
  }
}
