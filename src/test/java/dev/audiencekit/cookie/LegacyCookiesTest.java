package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.cookie.CookieValue.State;
import org.junit.jupiter.api.Test;

class LegacyCookiesTest {

  @Test
  void sioGivesItsAnonymousHalf() {
    assertThat(LegacyCookies.sioAnonymousId("anon-1----user-1").value()).isEqualTo("anon-1");
  }

  @Test
  void sioWithoutSeparatorIsTheAnonymousId() {
    assertThat(LegacyCookies.sioAnonymousId("anon-1").value()).isEqualTo("anon-1");
  }

  @Test
  void sioWithAnEmptyAnonymousHalfIsAbsent() {
    assertThat(LegacyCookies.sioAnonymousId("----user").state()).isEqualTo(State.ABSENT);
  }

  @Test
  void sioIsPercentDecoded() {
    assertThat(LegacyCookies.sioAnonymousId("a%20b----u").value()).isEqualTo("a b");
  }

  @Test
  void missingSioIsAbsent() {
    assertThat(LegacyCookies.sioAnonymousId(null).state()).isEqualTo(State.ABSENT);
  }

  @Test
  void malformedSioIsInvalid() {
    assertThat(LegacyCookies.sioAnonymousId("%E0----u").state()).isEqualTo(State.INVALID);
  }

  @Test
  void ajsUserWrittenByJsCookieGivesIdAndTraits() {
    LegacyCookies.LegacyUser user = LegacyCookies.user("{%22id%22:%22u1%22,%22traits%22:{%22plan%22:%22pro%22}}");

    assertThat(user.userId()).isEqualTo("u1");
    assertThat(user.traits().getString("plan")).isEqualTo("pro");
  }

  @Test
  void ajsUserFullyUrlEncodedGivesIdAndTraits() {
    LegacyCookies.LegacyUser user =
        LegacyCookies.user("%7B%22id%22%3A%22u1%22%2C%22traits%22%3A%7B%22n%22%3A1%7D%7D");

    assertThat(user.userId()).isEqualTo("u1");
    assertThat(user.traits().getInt("n")).isEqualTo(1);
  }

  @Test
  void ajsUserWithANumericIdGivesItsText() {
    assertThat(LegacyCookies.user("{\"id\":1234}").userId()).isEqualTo("1234");
  }

  @Test
  void ajsUserWithoutTraitsHasEmptyTraits() {
    assertThat(LegacyCookies.user("{\"id\":\"u\"}").traits()).isEmpty();
  }

  @Test
  void ajsUserWithNonObjectTraitsHasEmptyTraits() {
    assertThat(LegacyCookies.user("{\"id\":\"u\",\"traits\":[1]}").traits()).isEmpty();
  }

  @Test
  void ajsUserWithNullIdHasNoUserId() {
    LegacyCookies.LegacyUser user = LegacyCookies.user("{\"id\":null,\"traits\":{\"a\":true}}");

    assertThat(user.userId()).isNull();
    assertThat(user.traits().getBoolean("a")).isTrue();
  }

  @Test
  void ajsUserWithAnInvalidIdHasNoUserId() {
    assertThat(LegacyCookies.user("{\"id\":\"a\\nb\"}").userId()).isNull();
    assertThat(LegacyCookies.user("{\"id\":\"" + "x".repeat(257) + "\"}").userId()).isNull();
  }

  @Test
  void ajsUserThatIsNotAnObjectIsIgnored() {
    assertThat(LegacyCookies.user("[1]")).isNull();
    assertThat(LegacyCookies.user("\"u1\"")).isNull();
    assertThat(LegacyCookies.user("u1")).isNull();
  }

  @Test
  void ajsUserWithTrailingTextIsIgnored() {
    assertThat(LegacyCookies.user("{\"id\":\"u\"}x")).isNull();
  }

  @Test
  void malformedAjsUserIsIgnored() {
    assertThat(LegacyCookies.user("{\"id\":")).isNull();
    assertThat(LegacyCookies.user("%E0{")).isNull();
    assertThat(LegacyCookies.user(null)).isNull();
  }
}
