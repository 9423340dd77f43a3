package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.audiencekit.config.Settings.CookieFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CookieValueEncoderTest {

  /** Expected values produced by js-cookie 3's writer and encodeURIComponent(JSON.stringify(v)) in Node. */
  @ParameterizedTest(name = "{0} -> next {1}, classic {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '\u0000', value = {
      "6f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01|6f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01|%226f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01%22",
      "user@x.com|user@x.com|%22user%40x.com%22",
      "a b|a%20b|%22a%20b%22",
      "say \"hi\"|say%20%22hi%22|%22say%20%5C%22hi%5C%22%22",
      "a,b|a%2Cb|%22a%2Cb%22",
      "a;b|a%3Bb|%22a%3Bb%22",
      "100%|100%25|%22100%25%22",
      "a\\b|a%5Cb|%22a%5C%5Cb%22",
      "café|caf%C3%A9|%22caf%C3%A9%22",
      "€|%E2%82%AC|%22%E2%82%AC%22",
      "😀|%F0%9F%98%80|%22%F0%9F%98%80%22",
      "#$&+/:<=>?@[]^`{}|#$&+/:<=>?@[]^`{}|%22%23%24%26%2B%2F%3A%3C%3D%3E%3F%40%5B%5D%5E%60%7B%7D%22",
      "-_.!~*'()|-_.!~*'()|%22-_.!~*'()%22",
      "123|123|%22123%22",
  })
  void encodesAsTheBrowserLibrariesDo(String id, String next, String classic) {
    assertThat(CookieValueEncoder.encodeNext(id)).isEqualTo(next);
    assertThat(CookieValueEncoder.encodeClassic(id)).isEqualTo(classic);
  }

  @Test
  void nextKeepsThePipeCharacter() {
    assertThat(CookieValueEncoder.encodeNext("a|b")).isEqualTo("a|b");
  }

  @Test
  void uuidIsReturnedWithoutCopying() {
    String uuid = "6f1c2b8e-0d4a-4c8e-9f3a-2b7d1e5c9a01";

    assertThat(CookieValueEncoder.encodeNext(uuid)).isSameAs(uuid);
  }

  @Test
  void encodeFollowsTheConfiguredFormat() {
    assertThat(CookieValueEncoder.encode("a b", CookieFormat.NEXT)).isEqualTo("a%20b");
    assertThat(CookieValueEncoder.encode("a b", CookieFormat.CLASSIC)).isEqualTo("%22a%20b%22");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\u0000', value = {
      "null|%22null%22",
      "true|%22true%22",
      "false|%22false%22",
      "1e3|%221e3%22",
      "1.50|%221.50%22",
      "-0|%22-0%22",
      "12345678901234567890|%2212345678901234567890%22",
      "\"x\"|%22%5C%22x%5C%22%22",
      "{}|%22{}%22",
      "[1]|%22[1]%22",
  })
  void nextWritesIdsThatLookLikeJsonAsAJsonString(String id, String expected) {
    assertThat(CookieValueEncoder.encodeNext(id)).isEqualTo(expected);
  }

  @Test
  void nextWritesANumberWithASurroundingSpaceAsAJsonString() {
    assertThat(CookieValueEncoder.encodeNext(" 5")).isEqualTo("%22%205%22");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1234", "0", "-12", "0123", "nullx", "{abc", "\"abc", "12345678-aaaa"})
  void nextWritesIdsThatReadBackUnchangedRaw(String id) {
    assertThat(CookieValueEncoder.encodeNext(id)).isEqualTo(CookieValueEncoder.jsCookie(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"null", "true", "1e3", " 5", "\"x\"", "{}", "[1]", "1234", "-0", "\"\"", "\"null\"", "%41", "%zz",
      "\"quoted\"", "a\"", "'single'", "  ", "+", "a+b", "ab%"})
  void idsThatLookLikeJsonOrEscapesRoundTripInBothFormats(String id) {
    assertThat(CookieValue.decode(CookieValueEncoder.encodeNext(id)).value()).isEqualTo(id);
    assertThat(CookieValue.decode(CookieValueEncoder.encodeClassic(id)).value()).isEqualTo(id);
  }

  @Test
  void randomIdsRoundTripInBothFormats() {
    Random random = new Random(20240601);
    String alphabet = "aZ09 -_.!~*'()#$&+/:<=>?@[]^`{|}\"\\,;%éß€😀\u00a0\u2028\ufeffnulltrue{}[]";
    for (int i = 0; i < 20_000; i++) {
      String id = randomId(random, alphabet);
      assertThat(CookieValue.decode(CookieValueEncoder.encodeNext(id)).value()).as("next %s", id).isEqualTo(id);
      assertThat(CookieValue.decode(CookieValueEncoder.encodeClassic(id)).value()).as("classic %s", id).isEqualTo(id);
    }
  }

  @Test
  void randomUnicodeIdsRoundTripInBothFormats() {
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(40);
      while (sb.length() < length) {
        int cp = random.nextInt(0x110000);
        if (Character.getType(cp) == Character.SURROGATE || Character.isISOControl(cp)) {
          continue;
        }
        sb.appendCodePoint(cp);
      }
      String id = sb.length() > 256 ? sb.substring(0, 256) : sb.toString();
      if (!CookieValue.isValidId(id)) {
        continue;
      }
      assertThat(CookieValue.decode(CookieValueEncoder.encodeNext(id)).value()).isEqualTo(id);
      assertThat(CookieValue.decode(CookieValueEncoder.encodeClassic(id)).value()).isEqualTo(id);
    }
  }

  @Test
  void randomJsonLookingIdsRoundTrip() {
    Random random = new Random(99);
    String alphabet = "0123456789-+.eE \"\\{}[]:,nultrfase";
    for (int i = 0; i < 20_000; i++) {
      String id = randomId(random, alphabet);
      assertThat(CookieValue.decode(CookieValueEncoder.encodeNext(id)).value()).as("next %s", id).isEqualTo(id);
    }
  }

  @Test
  void longestIdRoundTrips() {
    String id = "😀".repeat(128);

    assertThat(CookieValue.decode(CookieValueEncoder.encodeNext(id)).value()).isEqualTo(id);
    assertThat(CookieValue.decode(CookieValueEncoder.encodeClassic(id)).value()).isEqualTo(id);
  }

  @Test
  void outputContainsOnlyCookieOctets() {
    Random random = new Random(3);
    String alphabet = "aZ09 \"\\,;%é😀\u00a0=<>{}";
    for (int i = 0; i < 5_000; i++) {
      String id = randomId(random, alphabet);
      for (String encoded : new String[] {CookieValueEncoder.encodeNext(id), CookieValueEncoder.encodeClassic(id)}) {
        assertThat(encoded.chars().allMatch(c -> SetCookieHeader.isCookieOctet((char) c))).as(encoded).isTrue();
      }
    }
  }

  @Test
  void loneHighSurrogateIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeNext("a\ud83d")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loneLowSurrogateIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeClassic("\ude00a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyIdIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeNext("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nullIdIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeNext(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idWithAControlCharacterIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeNext("a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idOver256CharactersIsRejected() {
    assertThatThrownBy(() -> CookieValueEncoder.encodeNext("a".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String randomId(Random random, String alphabet) {
    int[] cps = alphabet.codePoints().toArray();
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 120 : 12);
    for (int k = 0; k < length; k++) {
      sb.appendCodePoint(cps[random.nextInt(cps.length)]);
    }
    return sb.toString();
  }
}
