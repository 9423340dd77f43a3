package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client address, scheme and host behind a trusted proxy, inside a real container. The test client
 * connects from 127.0.0.1, a trusted proxy by default, so it plays the proxy: the headers it sends are
 * what a proxy would pass on, a client's own header included. Only the configured family
 * ({@code remoteIpHeader}) may be read; a header of the other family is the client's and must change
 * nothing. Subclasses pick the container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForwardingContract {
  private static final String VICTIM = "203.0.113.9";
  private static final String CLIENT = "198.51.100.7";
  private Container forwardedFor;
  private Container forwarded;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    forwardedFor = Container.start(kind(), Container.testWebapp(), new TestApp(TestApp.defaults()));
    Map<String, String> params = TestApp.defaults();
    params.put("remoteIpHeader", "forwarded");
    forwarded = Container.start(kind(), Container.testWebapp(), new TestApp(params));
  }

  @AfterAll
  void stop() {
    for (Container container : new Container[] {forwardedFor, forwarded}) {
      if (container != null) {
        container.close();
      }
    }
  }

  /** Sends a track event named uniquely through {@code browser} and returns it as the sink got it. */
  private static JsonObject tracked(Container container, Browser browser) {
    String name = "forwarding-" + UUID.randomUUID();
    Browser.Response response = browser.get("/probe?do=track&event=" + name);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Browser reader = new Browser(container.base());
    return await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonArray all = Json.createReader(new StringReader(reader.get("/events").body())).readArray();
      return all.stream().map(JsonValue::asJsonObject)
          .filter(event -> name.equals(event.getString("event", null))).findFirst().orElse(null);
    }, event -> event != null);
  }

  private static String ip(JsonObject event) {
    return event.getJsonObject("context").getString("ip");
  }

  private static URI pageUrl(JsonObject event) {
    return URI.create(event.getJsonObject("context").getJsonObject("page").getString("url"));
  }

  // ------------------------------------------------------------------ remoteIpHeader=x-forwarded-for

  @Test
  void clientsForwardedHeaderCannotReplaceTheAddressTheProxyAppended() {
    Browser browser = new Browser(forwardedFor.base())
        .header("Forwarded", "for=" + VICTIM)
        .header("X-Forwarded-For", CLIENT);

    assertThat(ip(tracked(forwardedFor, browser))).isEqualTo(CLIENT);
  }

  @Test
  void clientsForwardedProtoAndHostAreIgnoredUnderForwardedFor() {
    Browser browser = new Browser(forwardedFor.base())
        .header("Forwarded", "for=" + VICTIM + ";proto=https;host=evil.example")
        .header("X-Forwarded-For", CLIENT);

    JsonObject event = tracked(forwardedFor, browser);

    assertThat(pageUrl(event).getScheme()).isEqualTo("http");
    assertThat(pageUrl(event).getHost()).isEqualTo("127.0.0.1");
    assertThat(browser.get("/probe").setCookie("ajs_anonymous_id")).doesNotContain("Secure");
  }

  @Test
  void proxysForwardedForProtoAndHostAreBelieved() {
    Browser browser = new Browser(forwardedFor.base())
        .header("X-Forwarded-For", VICTIM + ", " + CLIENT)
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "shop.example.com");

    JsonObject event = tracked(forwardedFor, browser);

    assertThat(ip(event)).isEqualTo(CLIENT);
    assertThat(pageUrl(event)).hasScheme("https").hasHost("shop.example.com");
  }

  // ------------------------------------------------------------------ remoteIpHeader=forwarded

  @Test
  void clientsForwardedForCannotReplaceTheAddressTheProxyForwarded() {
    Browser browser = new Browser(forwarded.base())
        .header("X-Forwarded-For", VICTIM)
        .header("Forwarded", "for=" + CLIENT);

    assertThat(ip(tracked(forwarded, browser))).isEqualTo(CLIENT);
  }

  @Test
  void clientsForwardedProtoAndHostHeadersAreIgnoredUnderForwarded() {
    Browser browser = new Browser(forwarded.base())
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "evil.example")
        .header("Forwarded", "for=" + CLIENT);

    JsonObject event = tracked(forwarded, browser);

    assertThat(pageUrl(event).getScheme()).isEqualTo("http");
    assertThat(pageUrl(event).getHost()).isEqualTo("127.0.0.1");
    assertThat(browser.get("/probe").setCookie("ajs_anonymous_id")).doesNotContain("Secure");
  }

  @Test
  void proxysForwardedElementGivesAddressProtoAndHost() {
    Browser browser = new Browser(forwarded.base())
        .header("Forwarded", "for=" + VICTIM + ";proto=http, for=" + CLIENT + ";proto=https;host=shop.example.com");

    JsonObject event = tracked(forwarded, browser);

    assertThat(ip(event)).isEqualTo(CLIENT);
    assertThat(pageUrl(event)).hasScheme("https").hasHost("shop.example.com");
    assertThat(browser.get("/probe").setCookie("ajs_anonymous_id")).contains("Secure");
  }
}
