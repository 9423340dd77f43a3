package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.cookie.CookieValue.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CookieValueTest {
  private static String id(String raw) {
    CookieValue v = CookieValue.decode(raw);
    assertThat(v.state()).as("state of %s", raw).isEqualTo(State.PRESENT);
    return v.value();
  }

  private static State state(String raw) {
    return CookieValue.decode(raw).state();
  }

  @Test
  void plainUuidIsReadAsItIs() {
    String uuid = "6f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01";

    assertThat(id(uuid)).isSameAs(uuid);
  }

  @Test
  void classicQuotedValueIsUnquoted() {
    assertThat(id("%226f1c2b8e-0d4a%22")).isEqualTo("6f1c2b8e-0d4a");
  }

  @Test
  void literalSurroundingQuotesAreUnwrapped() {
    assertThat(id("\"abc\"")).isEqualTo("abc");
  }

  @Test
  void literalQuotesAroundEscapesAreUnwrappedBeforeDecoding() {
    assertThat(id("\"a%20b\"")).isEqualTo("a b");
  }

  @Test
  void aSingleLeadingQuoteIsNotUnwrapped() {
    assertThat(id("\"abc")).isEqualTo("\"abc");
  }

  @Test
  void percentEscapesAreDecodedAsUtf8() {
    assertThat(id("user%40x.com%20%C3%A9%E2%82%AC%F0%9F%98%80")).isEqualTo("user@x.com é€😀");
  }

  @Test
  void lowerCaseHexEscapesAreDecoded() {
    assertThat(id("a%2cb%3bc")).isEqualTo("a,b;c");
  }

  @Test
  void plusStaysAPlus() {
    assertThat(id("a+b%2Bc")).isEqualTo("a+b+c");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%E0%A4", "%C3", "%C3%28", "%80", "%FF", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80",
      "%C3x%A9"})
  void invalidUtf8MakesTheCookieInvalid(String raw) {
    assertThat(state(raw)).isEqualTo(State.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"100%", "%", "%2", "%zz", "a%g0", "%%41"})
  void malformedEscapeMakesTheCookieInvalid(String raw) {
    assertThat(state(raw)).isEqualTo(State.INVALID);
  }

  @Test
  void jsonStringIsReadAsItsContent() {
    assertThat(id("\"\\\"x\\\"\"".replace("\"", "%22").replace("\\", "%5C"))).isEqualTo("\"x\"");
  }

  @Test
  void jsonStringEscapesAreDecoded() {
    assertThat(id("%22a%5Cu00e9%5C%2Fb%5C%5C%22")).isEqualTo("aé/b\\");
  }

  @Test
  void jsonStringEscapingAControlCharacterIsInvalid() {
    assertThat(state("%22a%5Cnb%22")).isEqualTo(State.INVALID);
  }

  @Test
  void jsonStringWithAnUnpairedSurrogateIsInvalid() {
    assertThat(state("%22a%5Cud800%22")).isEqualTo(State.INVALID);
  }

  @Test
  void jsonStringWithAPairedSurrogateEscapeIsRead() {
    assertThat(id("%22%5Cud83d%5Cude00%22")).isEqualTo("😀");
  }

  @Test
  void emptyJsonStringIsAbsent() {
    assertThat(state("%22%22")).isEqualTo(State.ABSENT);
  }

  @ParameterizedTest
  @CsvSource({
      "1234, 1234",
      "-12, -12",
      "0, 0",
      "-0, 0",
      "1e3, 1000",
      "1E3, 1000",
      "1.50, 1.5",
      "12345678901234567890, 12345678901234567000",
      "1e21, 1e+21",
      "123e-20, 1.23e-18",
      "0.000001, 0.000001",
      "0.0000001, 1e-7",
      "1e400, Infinity",
      "%205, 5",
      "9007199254740993, 9007199254740992"
  })
  void jsonNumberIsReadAsItsJavaScriptText(String raw, String expected) {
    assertThat(id(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0123", "1.", "-", "1e", "+1", "1-2", "6f1c2b8e", "12345678-1234", ".5", "1 2"})
  void textThatIsNotAJsonNumberIsReadRaw(String raw) {
    assertThat(id(raw)).isEqualTo(raw.replace("%20", " "));
  }

  @Test
  void jsonNullIsAbsent() {
    assertThat(state("null")).isEqualTo(State.ABSENT);
  }

  @Test
  void quotedJsonNullIsAbsent() {
    assertThat(state("\"null\"")).isEqualTo(State.ABSENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "false", "%20true", "{}", "{%22id%22:%22x%22}", "[1,2]", "[]"})
  void jsonThatIsNotAStringOrNumberIsInvalid(String raw) {
    assertThat(state(raw)).isEqualTo(State.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nullx", "truex", "nul", "{abc", "[1,", "{}x", "\"abc", "tru e"})
  void textThatOnlyStartsLikeJsonIsReadRaw(String raw) {
    assertThat(id(raw)).isEqualTo(raw);
  }

  @Test
  void emptyValueIsAbsent() {
    assertThat(state("")).isEqualTo(State.ABSENT);
  }

  @Test
  void emptyQuotedValueIsAbsent() {
    assertThat(state("\"\"")).isEqualTo(State.ABSENT);
  }

  @Test
  void missingCookieIsAbsent() {
    assertThat(CookieValue.decode(null)).isSameAs(CookieValue.ABSENT);
  }

  @Test
  void valueOf256CharactersIsRead() {
    String raw = "a".repeat(256);

    assertThat(id(raw)).isEqualTo(raw);
  }

  @Test
  void valueOver256CharactersIsInvalid() {
    assertThat(state("a".repeat(257))).isEqualTo(State.INVALID);
  }

  @Test
  void lengthLimitCountsDecodedCharacters() {
    assertThat(id("%C3%A9".repeat(256))).hasSize(256);
    assertThat(state("%C3%A9".repeat(257))).isEqualTo(State.INVALID);
  }

  @Test
  void hugeRawValueIsInvalidWithoutDecoding() {
    assertThat(state("%41".repeat(10_000))).isEqualTo(State.INVALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a%00b", "a%0Ab", "a%0Db", "%09", "a%7Fb", "a%C2%85b", "a\u0001b", "a\tb"})
  void controlCharactersMakeTheCookieInvalid(String raw) {
    assertThat(state(raw)).isEqualTo(State.INVALID);
  }

  @Test
  void unpairedSurrogateInARawValueIsInvalid() {
    assertThat(state("a\ud800b")).isEqualTo(State.INVALID);
  }

  @Test
  void spacesOnlyAreAnId() {
    assertThat(id("%20%20")).isEqualTo("  ");
  }

  @Test
  void rawNonAsciiCharactersAreKept() {
    assertThat(id("caf\u00e9")).isEqualTo("café");
  }

  @Test
  void decodeTextUnwrapsAndDecodesOnly() {
    assertThat(CookieValue.decodeText("\"%7B%22id%22:1%7D\"")).isEqualTo("{\"id\":1}");
    assertThat(CookieValue.decodeText("%E0")).isNull();
    assertThat(CookieValue.decodeText("")).isNull();
  }

  @Test
  void invalidAndAbsentAreDistinct() {
    assertThat(CookieValue.decode("%zz").isInvalid()).isTrue();
    assertThat(CookieValue.decode("null").isInvalid()).isFalse();
    assertThat(CookieValue.decode("null").isPresent()).isFalse();
  }
}
