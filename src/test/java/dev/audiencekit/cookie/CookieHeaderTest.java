package dev.audiencekit.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CookieHeaderTest {
  private static final String BACKUP = "ak_anonymous_id";

  @Test
  void readsTheIdentityCookiesOfOneHeader() {
    CookieHeader h = CookieHeader.parse("ajs_anonymous_id=a1; ajs_user_id=u1; ajs_group_id=g1", BACKUP);

    assertThat(h.raw("ajs_anonymous_id")).isEqualTo("a1");
    assertThat(h.raw("ajs_user_id")).isEqualTo("u1");
    assertThat(h.raw("ajs_group_id")).isEqualTo("g1");
  }

  @Test
  void firstOccurrenceOfANameWins() {
    CookieHeader h = CookieHeader.parse("ajs_user_id=first; ajs_user_id=second", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("first");
  }

  @Test
  void firstOccurrenceWinsAcrossSeveralHeaders() {
    CookieHeader h = CookieHeader.parse(List.of("x=1; ajs_user_id=first", "ajs_user_id=second"), BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("first");
  }

  @Test
  void readsHeadersGivenAsAnEnumeration() {
    CookieHeader h = CookieHeader.parse(Collections.enumeration(List.of("a=1", "ajs_group_id=g")), BACKUP);

    assertThat(h.raw("ajs_group_id")).isEqualTo("g");
  }

  @Test
  void readsTheConfiguredBackupCookie() {
    CookieHeader h = CookieHeader.parse("my_backup=b1", "my_backup");

    assertThat(h.raw("my_backup")).isEqualTo("b1");
  }

  @Test
  void ignoresTheBackupNameWhenBackupIsDisabled() {
    CookieHeader h = CookieHeader.parse("ak_anonymous_id=b1", "");

    assertThat(h.raw("ak_anonymous_id")).isNull();
    assertThat(h.isEmpty()).isTrue();
  }

  @Test
  void readsTheLegacyCookies() {
    CookieHeader h = CookieHeader.parse("_sio=a----u; ajs_user={\"id\":\"x\"}", BACKUP);

    assertThat(h.raw("_sio")).isEqualTo("a----u");
    assertThat(h.raw("ajs_user")).isEqualTo("{\"id\":\"x\"}");
  }

  @Test
  void trimsSpacesAndTabsAroundNamesAndValues() {
    CookieHeader h = CookieHeader.parse(" \tajs_user_id \t=  u1 \t;ajs_group_id=g", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("u1");
    assertThat(h.raw("ajs_group_id")).isEqualTo("g");
  }

  @Test
  void keepsEqualsSignsInsideTheValue() {
    CookieHeader h = CookieHeader.parse("ajs_user_id=a=b==", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("a=b==");
  }

  @Test
  void keepsAnEmptyValue() {
    CookieHeader h = CookieHeader.parse("ajs_user_id=; ajs_user_id=later", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEmpty();
  }

  @Test
  void skipsPiecesWithoutEqualsSign() {
    CookieHeader h = CookieHeader.parse("ajs_user_id; garbage;;; ajs_user_id=u", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("u");
  }

  @Test
  void skipsPiecesWithAnEmptyName() {
    CookieHeader h = CookieHeader.parse("=ajs_user_id=x; =; ajs_user_id=u", BACKUP);

    assertThat(h.raw("ajs_user_id")).isEqualTo("u");
  }

  @Test
  void namesAreCaseSensitive() {
    CookieHeader h = CookieHeader.parse("AJS_USER_ID=x", BACKUP);

    assertThat(h.raw("ajs_user_id")).isNull();
  }

  @Test
  void doesNotMistakeANameWithACommonPrefix() {
    CookieHeader h = CookieHeader.parse("ajs_user_idx=x; xajs_user_id=y; ajs_user=z", BACKUP);

    assertThat(h.raw("ajs_user_id")).isNull();
    assertThat(h.raw("ajs_user")).isEqualTo("z");
  }

  @Test
  void unknownNamesAreNotKept() {
    CookieHeader h = CookieHeader.parse("session=s", BACKUP);

    assertThat(h.raw("session")).isNull();
    assertThat(h.isEmpty()).isTrue();
  }

  @Test
  void nullHeadersGiveAnEmptyResult() {
    assertThat(CookieHeader.parse((String) null, BACKUP).isEmpty()).isTrue();
    assertThat(CookieHeader.parse((java.util.Enumeration<String>) null, BACKUP).isEmpty()).isTrue();
    assertThat(CookieHeader.parse((Iterable<String>) null, BACKUP).isEmpty()).isTrue();
  }

  @Test
  void decodesTheIdOfACookie() {
    CookieHeader h = CookieHeader.parse("ajs_user_id=%22user%40x.com%22", BACKUP);

    assertThat(h.id("ajs_user_id").value()).isEqualTo("user@x.com");
    assertThat(h.id("ajs_group_id").state()).isEqualTo(CookieValue.State.ABSENT);
  }

  @Test
  void ignoresCookiesBeyondThePieceLimit() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < CookieHeader.MAX_PIECES; i++) {
      sb.append("c").append(i).append("=v; ");
    }
    sb.append("ajs_user_id=late");

    assertThat(CookieHeader.parse(sb.toString(), BACKUP).raw("ajs_user_id")).isNull();
  }

  @Test
  void ignoresTextBeyondTheCharacterLimit() {
    String padding = "x=" + "y".repeat(CookieHeader.MAX_TOTAL_CHARS) + "; ";

    assertThat(CookieHeader.parse(padding + "ajs_user_id=late", BACKUP).raw("ajs_user_id")).isNull();
  }

  @Test
  void characterLimitCountsAllHeadersTogether() {
    String big = "x=" + "y".repeat(CookieHeader.MAX_TOTAL_CHARS - 10);

    assertThat(CookieHeader.parse(List.of(big, "ajs_user_id=late"), BACKUP).raw("ajs_user_id")).isNull();
  }

  @Test
  void readsCookiesBeforeAHugeTail() {
    String header = "ajs_user_id=u; " + "z".repeat(2_000_000);

    assertThat(CookieHeader.parse(header, BACKUP).raw("ajs_user_id")).isEqualTo("u");
  }

  @Test
  void tenThousandCookiesAreHandledQuickly() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      sb.append("ajs_").append(i).append("=v;");
    }
    String header = sb.toString();

    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      CookieHeader.parse(header, BACKUP);
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
  }

  @Test
  void neverThrowsOnHostileInput() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(200)];
      for (int k = 0; k < chars.length; k++) {
        chars[k] = "=; \t\"%ajs_user_id\u0000\r\n\u00e9\ud800,".charAt(random.nextInt(22));
      }
      String header = new String(chars);
      assertThatCode(() -> {
        CookieHeader h = CookieHeader.parse(header, BACKUP);
        h.id("ajs_user_id");
      }).doesNotThrowAnyException();
    }
  }

  @Test
  void survivesAnEnumerationThatThrows() {
    java.util.Enumeration<String> broken = new java.util.Enumeration<>() {
      int n;

      @Override
      public boolean hasMoreElements() {
        return true;
      }

      @Override
      public String nextElement() {
        if (n++ == 0) {
          return "ajs_user_id=u";
        }
        throw new IllegalStateException("container bug");
      }
    };

    assertThat(CookieHeader.parse(broken, BACKUP).raw("ajs_user_id")).isEqualTo("u");
  }
}
