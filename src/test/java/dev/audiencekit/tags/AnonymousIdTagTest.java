package dev.audiencekit.tags;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnonymousIdTagTest {
  @Test
  void printsTheIdHtmlEscaped() {
    assertThat(AnonymousIdTag.render("a<b>&\"c\"")).isEqualTo("a&lt;b&gt;&amp;&#34;c&#34;");
    assertThat(AnonymousIdTag.render("123e4567-e89b-42d3-a456-426614174000"))
        .isEqualTo("123e4567-e89b-42d3-a456-426614174000");
  }
}
