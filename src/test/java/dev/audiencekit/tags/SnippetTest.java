package dev.audiencekit.tags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnippetTest {
  private static final Snippet.Identity ANONYMOUS = new Snippet.Identity("anon-1", null, null);

  static String golden(String name) throws IOException {
    try (InputStream in = SnippetTest.class.getResourceAsStream("golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void rendersTheLoaderForAnAnonymousVisitorExactly() throws IOException {
    Snippet snippet = new Snippet("WK_TEST", "/analytics-next/bundles/standalone.js",
        "http://127.0.0.1:8080", "127.0.0.1:8080/v1", false);
    assertThat(snippet.render(ANONYMOUS) + "\n").isEqualTo(golden("snippet-anonymous.html"));
  }

  @Test
  void rendersTheLoaderForAnIdentifiedVisitorInAGroupWithPageExactly() throws IOException {
    Snippet snippet = new Snippet("WK_TEST", null, null, null, true);
    assertThat(snippet.render(new Snippet.Identity("anon-1", "user-7", "acme")) + "\n")
        .isEqualTo(golden("snippet-identified.html"));
  }

  @Test
  void rendersTheLoaderOfAFirstPartyEndpointServingTheBundleExactly() throws IOException {
    Snippet snippet = new Snippet(Snippet.FIRST_PARTY_WRITE_KEY, null, null, null, false).collectingAt("/shop/ak", true);
    assertThat(snippet.render(ANONYMOUS) + "\n").isEqualTo(golden("snippet-collect-bundle.html"));
  }

  @Test
  void firstPartyCollectionSendsToTheEndpointOnThePagesOwnHostAndScheme() {
    String html = new Snippet("k", null, null, null, false).collectingAt("/ak", false).render(ANONYMOUS);
    assertThat(html).contains("apiHost: d.location.host + \"/ak/v1\", protocol: d.location.protocol === \"https:\"",
        "a._cdn = d.location.protocol + \"//\" + d.location.host + \"/ak\";");
  }

  @Test
  void firstPartyCollectionLoadsAnalyticsJsFromTheEndpointOnlyWhenItServesIt() {
    assertThat(new Snippet("k", null, null, null, false).collectingAt("/ak", true).src()).isEqualTo("/ak/analytics.js");
    assertThat(new Snippet("k", null, null, null, false).collectingAt("/ak", false).src())
        .isEqualTo("https://cdn.segment.com/analytics.js/v1/k/analytics.min.js");
  }

  @Test
  void explicitAttributesWinOverFirstPartyCollection() {
    Snippet snippet = new Snippet("k", "/js/a.js", "https://cdn.example.com", "api.example.com/v1", false)
        .collectingAt("/ak", true);
    assertThat(snippet.src()).isEqualTo("/js/a.js");
    assertThat(snippet.render(ANONYMOUS)).contains("a._cdn = \"https://cdn.example.com\";",
        "apiHost: \"api.example.com/v1\"").doesNotContain("/ak");
  }

  @Test
  void aCollectPathThatCouldLeaveItsStringIsRefused() {
    assertThatThrownBy(() -> new Snippet("k", null, null, null, false).collectingAt("/ak\"</script>", true))
        .hasMessageContaining("collect path");
    assertThatThrownBy(() -> new Snippet("k", null, null, null, false).collectingAt("ak", true))
        .hasMessageContaining("collect path");
  }

  @Test
  void usesCookieFirstStorage() {
    String html = new Snippet("k", null, null, null, false).render(ANONYMOUS);
    assertThat(html).contains("storage: {stores: [\"cookie\", \"localStorage\", \"memory\"]}");
  }

  @Test
  void clearsTheBrowserUserIdWhenTheServerHasNone() {
    String html = new Snippet("k", null, null, null, false).render(ANONYMOUS);
    assertThat(html).contains("var userId = null;", "user.id(userId);", "var groupId = null;", "group.id(groupId);");
  }

  @Test
  void sendsNoEventUnlessPageIsAsked() {
    assertThat(new Snippet("k", null, null, null, false).render(ANONYMOUS)).doesNotContain(".page(");
    assertThat(new Snippet("k", null, null, null, true).render(ANONYMOUS)).contains("a.page();");
  }

  @Test
  void defaultSourceIsTheCdnOfTheWriteKey() {
    assertThat(new Snippet("WK 1/2", null, null, null, false).src())
        .isEqualTo("https://cdn.segment.com/analytics.js/v1/WK%201%2F2/analytics.min.js");
    assertThat(new Snippet("WK", null, "https://cdn.example.com/", null, false).src())
        .isEqualTo("https://cdn.example.com/analytics.js/v1/WK/analytics.min.js");
  }

  @Test
  void hostileIdsCannotLeaveTheirStringsOrTheScript() {
    String hostile = "</script><script>alert(1)</script>\"'\n\u2028Zoë";
    String html = new Snippet("k", null, null, null, false).render(new Snippet.Identity(hostile, hostile, hostile));
    String script = html.substring("<script>".length(), html.length() - "</script>".length());
    assertThat(script).doesNotContain("<", ">", "\u2028", "'");
    assertThat(script).contains("\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"
        + "\\u0022\\u0027\\u000a\\u2028Zoë\"");
  }

  @Test
  void handsTheServersConsentToEveryBrowserEventExactly() throws IOException {
    Snippet snippet = new Snippet("WK_TEST", "/analytics-next/bundles/standalone.js",
        "http://127.0.0.1:8080", "127.0.0.1:8080/v1", false);
    Map<String, Boolean> preferences = new LinkedHashMap<>();
    preferences.put("Advertising", false);
    preferences.put("Analytics", true);
    assertThat(snippet.render(new Snippet.Identity("anon-1", null, null, preferences)) + "\n")
        .isEqualTo(golden("snippet-consent.html"));
  }

  @Test
  void withoutConsentConfiguredNoMiddlewareIsAdded() {
    assertThat(new Snippet("k", null, null, null, false).render(ANONYMOUS)).doesNotContain("addSourceMiddleware(function");
  }

  @Test
  void anUndecidedVisitorsBrowserEventsCarryEmptyPreferences() {
    String html = new Snippet("k", null, null, null, false).render(new Snippet.Identity("a", null, null, Map.of()));
    assertThat(html).contains("e.context.consent = {categoryPreferences: {}};");
  }

  @Test
  void hostileCategoryNamesCannotLeaveTheirStringsOrTheScript() {
    String hostile = "</script><script>alert(1)</script>\"'\n\u2028Zoë";
    String html = new Snippet("k", null, null, null, false)
        .render(new Snippet.Identity("a", null, null, Map.of(hostile, true)));
    String script = html.substring("<script>".length(), html.length() - "</script>".length());
    assertThat(script).doesNotContain("<", ">", "\u2028", "'");
    assertThat(script).contains("{categoryPreferences: {\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
        + "\\u003c/script\\u003e\\u0022\\u0027\\u000a\\u2028Zoë\": true}}");
  }

  @Test
  void anIdentityWithANullPreferenceIsRefused() {
    Map<String, Boolean> preferences = new HashMap<>();
    preferences.put("Analytics", null);
    assertThatThrownBy(() -> new Snippet.Identity("a", null, null, preferences))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsMalformedAttributesNamingThem() {
    assertThatThrownBy(() -> new Snippet(" ", null, null, null, false)).hasMessageContaining("writeKey");
    assertThatThrownBy(() -> new Snippet("k", "javascript:alert(1)", null, null, false))
        .hasMessageContaining("src");
    assertThatThrownBy(() -> new Snippet("k", null, "cdn.example.com", null, false))
        .hasMessageContaining("cdnHost");
    assertThatThrownBy(() -> new Snippet("k", null, null, "https://api.example.com/v1", false))
        .hasMessageContaining("apiHost");
  }
}
