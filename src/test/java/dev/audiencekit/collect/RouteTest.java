package dev.audiencekit.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.event.BrowserEvents;
import org.junit.jupiter.api.Test;

class RouteTest {

  @Test
  void theSixEventPathsOfAnalyticsNext() {
    assertThat(Route.of("/v1/t", false).type()).isEqualTo(BrowserEvents.Type.TRACK);
    assertThat(Route.of("/v1/p", false).type()).isEqualTo(BrowserEvents.Type.PAGE);
    assertThat(Route.of("/v1/i", false).type()).isEqualTo(BrowserEvents.Type.IDENTIFY);
    assertThat(Route.of("/v1/g", false).type()).isEqualTo(BrowserEvents.Type.GROUP);
    assertThat(Route.of("/v1/a", false).type()).isEqualTo(BrowserEvents.Type.ALIAS);
    assertThat(Route.of("/v1/s", false).type()).isEqualTo(BrowserEvents.Type.SCREEN);
  }

  @Test
  void batchesGoToBOrBatch() {
    assertThat(Route.of("/v1/b", false).kind()).isEqualTo(Route.Kind.BATCH);
    assertThat(Route.of("/v1/batch", false).kind()).isEqualTo(Route.Kind.BATCH);
  }

  @Test
  void settingsCarryTheWriteKeyOfThePath() {
    Route route = Route.of("/v1/projects/WK_1/settings", false);
    assertThat(route.kind()).isEqualTo(Route.Kind.SETTINGS);
    assertThat(route.writeKey()).isEqualTo("WK_1");
  }

  @Test
  void theBundleIsAPathOnlyWhenOneIsServed() {
    assertThat(Route.of("/analytics.js", true).kind()).isEqualTo(Route.Kind.BUNDLE);
    assertThat(Route.of("/analytics.js", false).kind()).isEqualTo(Route.Kind.UNKNOWN);
  }

  @Test
  void everythingElseIsUnknown() {
    for (String path : new String[] {"", "/", "/v1", "/v1/", "/v1/x", "/v1/m", "/v1/t/", "/v1/tt", "/v2/t",
        "/v1/projects//settings", "/v1/projects/a/b/settings", "/v1/projects/settings", "/analytics.js/x"}) {
      assertThat(Route.of(path, true).kind()).as(path).isEqualTo(Route.Kind.UNKNOWN);
    }
  }

  @Test
  void eventPathsTakePostAndTheOthersGet() {
    assertThat(Route.Kind.EVENT.allows("POST")).isTrue();
    assertThat(Route.Kind.BATCH.allows("GET")).isFalse();
    assertThat(Route.Kind.SETTINGS.allows("GET")).isTrue();
    assertThat(Route.Kind.BUNDLE.allows("HEAD")).isFalse();
    assertThat(Route.Kind.UNKNOWN.allows("GET")).isFalse();
  }

  @Test
  void contentTypesAreJsonOrPlainTextInUtf8() {
    assertThat(CollectEndpoint.acceptedContentType("text/plain")).isTrue();
    assertThat(CollectEndpoint.acceptedContentType("application/json")).isTrue();
    assertThat(CollectEndpoint.acceptedContentType("Text/Plain;charset=UTF-8")).isTrue();
    assertThat(CollectEndpoint.acceptedContentType("application/json; charset=\"utf-8\"")).isTrue();
    assertThat(CollectEndpoint.acceptedContentType("application/json; charset=iso-8859-1")).isFalse();
    assertThat(CollectEndpoint.acceptedContentType("application/x-www-form-urlencoded")).isFalse();
    assertThat(CollectEndpoint.acceptedContentType("multipart/form-data; boundary=x")).isFalse();
    assertThat(CollectEndpoint.acceptedContentType(null)).isFalse();
  }
}
