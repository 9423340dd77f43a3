package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnedSetCookiesTest {
  private final FakeResponse response = new FakeResponse();
  private final OwnedSetCookies owned = new OwnedSetCookies(List.of("ajs_anonymous_id", "ajs_user_id"));

  @Test
  void addPutsTheHeadersOnTheResponse() {
    owned.add(response, List.of("ajs_anonymous_id=a; Path=/"));
    assertThat(response.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id=a; Path=/");
    assertThat(owned.wrote("ajs_anonymous_id")).isTrue();
    assertThat(owned.wrote("ajs_user_id")).isFalse();
  }

  @Test
  void replaceLeavesOneHeaderPerOwnedName() {
    owned.add(response, List.of("ajs_anonymous_id=a; Path=/"));
    owned.replace(response, List.of("ajs_anonymous_id=b; Path=/", "ajs_user_id=u; Path=/"));
    assertThat(response.getHeaders("Set-Cookie"))
        .containsExactly("ajs_anonymous_id=b; Path=/", "ajs_user_id=u; Path=/");
  }

  @Test
  void replaceKeepsTheApplicationsCookies() {
    owned.add(response, List.of("ajs_anonymous_id=a; Path=/"));
    response.addHeader("Set-Cookie", "JSESSIONID=s; Path=/; HttpOnly");
    response.addHeader("Set-Cookie", "app_pref=dark");
    owned.replace(response, List.of("ajs_anonymous_id=b; Path=/"));
    assertThat(response.getHeaders("Set-Cookie"))
        .containsExactly("JSESSIONID=s; Path=/; HttpOnly", "app_pref=dark", "ajs_anonymous_id=b; Path=/");
  }

  @Test
  void aCookieWhoseNameOnlyStartsLikeAnOwnedOneIsNotOwned() {
    response.addHeader("Set-Cookie", "ajs_anonymous_id_old=x");
    owned.replace(response, List.of("ajs_anonymous_id=b"));
    assertThat(response.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id_old=x", "ajs_anonymous_id=b");
  }

  @Test
  void restorePutsBackWhatAResetRemoved() {
    owned.add(response, List.of("ajs_anonymous_id=a"));
    owned.replace(response, List.of("ajs_anonymous_id=b"));
    response.reset();
    owned.restore(response);
    assertThat(response.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id=b");
  }

  @Test
  void replaceReportsHeadersTheResponseIgnored() {
    owned.add(response, List.of("ajs_anonymous_id=a"));
    response.flushBuffer(); // headers set after the commit are ignored
    assertThat(owned.replace(response, List.of("ajs_anonymous_id=b"))).isFalse();
    assertThat(response.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id=a");
  }
}
