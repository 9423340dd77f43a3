package dev.audiencekit.tags;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscapingTest {

  @Test
  void htmlEscapesMarkupAndBothQuotes() {
    assertThat(Escaping.html("</script><script>alert(1)</script>"))
        .isEqualTo("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(Escaping.html("a&b \"c\" 'd'")).isEqualTo("a&amp;b &#34;c&#34; &#39;d&#39;");
  }

  @Test
  void htmlKeepsPlainAndNonAsciiTextAsIs() {
    String text = "Zoë 東京 ✓ 123e4567-e89b-42d3-a456-426614174000";
    assertThat(Escaping.html(text)).isSameAs(text);
  }

  @Test
  void htmlOfNullIsEmpty() {
    assertThat(Escaping.html(null)).isEmpty();
  }

  @Test
  void jsStringEscapesEverythingThatCouldEndTheStringOrTheScript() {
    assertThat(Escaping.jsString("</script><script>alert(1)</script>"))
        .isEqualTo("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
    assertThat(Escaping.jsString("\"'`\\&")).isEqualTo("\\u0022\\u0027\\u0060\\u005c\\u0026");
    assertThat(Escaping.jsString("<!--")).isEqualTo("\\u003c!--");
  }

  @Test
  void jsStringEscapesLineTerminatorsAndEveryControlCharacter() {
    assertThat(Escaping.jsString("a\nb\rc\td\u0000e\u001bf\u007fg\u0085h\u2028i\u2029j"))
        .isEqualTo("a\\u000ab\\u000dc\\u0009d\\u0000e\\u001bf\\u007fg\\u0085h\\u2028i\\u2029j");
  }

  @Test
  void jsStringKeepsNonAsciiAndSurrogatePairs() {
    String text = "Zoë 東京 😀";
    assertThat(Escaping.jsString(text)).isSameAs(text);
  }

  @Test
  void everyEscapedJsStringIsFreeOfCharactersThatMatterToHtmlOrJavaScript() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      all.append(c);
    }
    String escaped = Escaping.jsString(all.toString());
    assertThat(escaped).doesNotContain("<", ">", "&", "\"", "'", "`", "\n", "\r", "\u2028", "\u2029");
    assertThat(escaped.chars().filter(c -> c == '\\').count())
        .as("every backslash starts a \\u escape")
        .isEqualTo(escaped.split("\\\\u", -1).length - 1);
  }

  @Test
  void jsLiteralQuotesOrSaysNull() {
    assertThat(Escaping.jsLiteral("a\"b")).isEqualTo("\"a\\u0022b\"");
    assertThat(Escaping.jsLiteral(null)).isEqualTo("null");
  }
}
