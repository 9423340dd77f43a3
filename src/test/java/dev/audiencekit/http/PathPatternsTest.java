package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternsTest {

  /** A request that answers only getServletPath and getPathInfo. */
  private static HttpServletRequest request(String servletPath, String pathInfo) {
    return (HttpServletRequest) Proxy.newProxyInstance(
        PathPatternsTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getServletPath" -> servletPath;
          case "getPathInfo" -> pathInfo;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void prefixPatternMatchesPathsBelowIt() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches("/static/app.js")).isTrue();
    assertThat(patterns.matches("/static/img/logo.png")).isTrue();
  }

  @Test
  void prefixPatternMatchesTheDirectoryItself() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches("/static")).isTrue();
    assertThat(patterns.matches("/static/")).isTrue();
  }

  @Test
  void prefixPatternDoesNotMatchASiblingWithTheSameStart() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches("/statics")).isFalse();
    assertThat(patterns.matches("/static.css")).isFalse();
    assertThat(patterns.matches("/staticfile/x")).isFalse();
  }

  @Test
  void prefixPatternDoesNotMatchAParent() {
    PathPatterns patterns = PathPatterns.parse("/a/b/*");
    assertThat(patterns.matches("/a")).isFalse();
    assertThat(patterns.matches("/a/")).isFalse();
    assertThat(patterns.matches("/a/c")).isFalse();
    assertThat(patterns.matches("/a/b/c/d")).isTrue();
  }

  @Test
  void prefixPatternMatchesOnlyFromTheStart() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches("/app/static/x.js")).isFalse();
  }

  @Test
  void rootPrefixMatchesEverything() {
    PathPatterns patterns = PathPatterns.parse("/*");
    assertThat(patterns.matches("/")).isTrue();
    assertThat(patterns.matches("/a")).isTrue();
    assertThat(patterns.matches("/a/b.html")).isTrue();
  }

  @Test
  void exactPatternMatchesOnlyThatPath() {
    PathPatterns patterns = PathPatterns.parse("/health");
    assertThat(patterns.matches("/health")).isTrue();
    assertThat(patterns.matches("/health/")).isFalse();
    assertThat(patterns.matches("/health/live")).isFalse();
    assertThat(patterns.matches("/healthz")).isFalse();
  }

  @Test
  void slashAloneIsTheContextRootOnly() {
    PathPatterns patterns = PathPatterns.parse("/");
    assertThat(patterns.matches("/")).isTrue();
    assertThat(patterns.matches("/index.html")).isFalse();
  }

  @Test
  void extensionPatternMatchesTheLastSegment() {
    PathPatterns patterns = PathPatterns.parse("*.css");
    assertThat(patterns.matches("/site.css")).isTrue();
    assertThat(patterns.matches("/a/b/site.min.css")).isTrue();
  }

  @Test
  void extensionPatternIgnoresDotsInDirectories() {
    PathPatterns patterns = PathPatterns.parse("*.css");
    assertThat(patterns.matches("/a.css/page")).isFalse();
    assertThat(patterns.matches("/a.css/")).isFalse();
  }

  @Test
  void extensionPatternNeedsTheWholeExtension() {
    PathPatterns patterns = PathPatterns.parse("*.css");
    assertThat(patterns.matches("/site.scss")).isFalse();
    assertThat(patterns.matches("/site.css.map")).isFalse();
    assertThat(patterns.matches("/css")).isFalse();
  }

  @Test
  void matchingIsCaseSensitive() {
    PathPatterns patterns = PathPatterns.parse("/static/*,*.css,/health");
    assertThat(patterns.matches("/STATIC/x")).isFalse();
    assertThat(patterns.matches("/SITE.CSS")).isFalse();
    assertThat(patterns.matches("/Health")).isFalse();
  }

  @Test
  void anyOfSeveralPatternsMatches() {
    PathPatterns patterns = PathPatterns.parse("/static/*, *.css ,/health");
    assertThat(patterns.matches("/static/a")).isTrue();
    assertThat(patterns.matches("/x/y.css")).isTrue();
    assertThat(patterns.matches("/health")).isTrue();
    assertThat(patterns.matches("/checkout")).isFalse();
  }

  @Test
  void prefixesOfDifferentLengthsAreAllChecked() {
    PathPatterns patterns = PathPatterns.parse("/a/*,/assets/js/*,/assets/css/vendor/*");
    assertThat(patterns.matches("/a/x")).isTrue();
    assertThat(patterns.matches("/assets/js/app.js")).isTrue();
    assertThat(patterns.matches("/assets/css/vendor/x/y.css")).isTrue();
    assertThat(patterns.matches("/assets/css/site.css")).isFalse();
  }

  @Test
  void nullOrEmptyPathIsTheRoot() {
    PathPatterns patterns = PathPatterns.parse("/");
    assertThat(patterns.matches((String) null)).isTrue();
    assertThat(patterns.matches("")).isTrue();
  }

  @Test
  void blankTextGivesNoPatterns() {
    assertThat(PathPatterns.parse(null)).isSameAs(PathPatterns.NONE);
    assertThat(PathPatterns.parse("  ")).isSameAs(PathPatterns.NONE);
    assertThat(PathPatterns.NONE.isEmpty()).isTrue();
    assertThat(PathPatterns.NONE.matches("/anything")).isFalse();
  }

  @Test
  void emptyEntriesBetweenCommasAreSkipped() {
    PathPatterns patterns = PathPatterns.parse(",/health,, ,");
    assertThat(patterns.patterns()).containsExactly("/health");
  }

  @Test
  void ofTakesTheSettingsList() {
    PathPatterns patterns = PathPatterns.of(List.of("/static/*", "*.css"));
    assertThat(patterns.matches("/static/x")).isTrue();
    assertThat(patterns.toString()).isEqualTo("/static/*,*.css");
  }

  @Test
  void ofAnEmptyListIsNone() {
    assertThat(PathPatterns.of(List.of())).isSameAs(PathPatterns.NONE);
  }

  @Test
  void patternWithoutLeadingSlashIsRejectedByName() {
    assertThatThrownBy(() -> PathPatterns.parse("/ok,static/*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'static/*'")
        .hasMessageContaining("/prefix/*, an exact /path or *.extension");
  }

  @Test
  void globInTheMiddleIsRejected() {
    assertThatThrownBy(() -> PathPatterns.parse("/static/*.css"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/static/*.css'");
    assertThatThrownBy(() -> PathPatterns.parse("/a/*/b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyOrPathLikeExtensionIsRejected() {
    assertThatThrownBy(() -> PathPatterns.parse("*.")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPatterns.parse("*.a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPatterns.parse("*.*")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bareStarIsRejected() {
    assertThatThrownBy(() -> PathPatterns.parse("*")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whitespaceInsideAPatternIsRejected() {
    assertThatThrownBy(() -> PathPatterns.parse("/a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullPatternIsRejected() {
    assertThatThrownBy(() -> PathPatterns.of(java.util.Arrays.asList("/a", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pathWithinContextJoinsServletPathAndPathInfo() {
    assertThat(PathPatterns.pathWithinContext(request("/app", "/static/x.js")))
        .isEqualTo("/app/static/x.js");
    assertThat(PathPatterns.pathWithinContext(request("/page.jsp", null))).isEqualTo("/page.jsp");
    assertThat(PathPatterns.pathWithinContext(request("", "/static/x.js")))
        .isEqualTo("/static/x.js");
  }

  @Test
  void pathWithinContextOfTheRootIsSlash() {
    assertThat(PathPatterns.pathWithinContext(request("", null))).isEqualTo("/");
  }

  @Test
  void requestUnderADefaultServletMappingMatches() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches(request("/static/app.js", null))).isTrue();
  }

  @Test
  void requestUnderASlashStarMappingMatchesThroughPathInfo() {
    PathPatterns patterns = PathPatterns.parse("/static/*");
    assertThat(patterns.matches(request("", "/static/app.js"))).isTrue();
    assertThat(patterns.matches(request("", "/page"))).isFalse();
  }

  @Test
  void noPatternsDoNotAskTheRequest() {
    HttpServletRequest untouchable = (HttpServletRequest) Proxy.newProxyInstance(
        PathPatternsTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
        (proxy, method, args) -> {
          throw new AssertionError("asked " + method.getName());
        });
    assertThat(PathPatterns.NONE.matches(untouchable)).isFalse();
  }
}
