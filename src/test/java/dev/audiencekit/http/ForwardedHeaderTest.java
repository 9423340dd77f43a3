package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.http.ForwardedHeader.Element;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedHeaderTest {

  @Test
  void readsPairsOfEachElement() {
    assertThat(ForwardedHeader.parse(List.of("for=192.0.2.60;proto=http;by=203.0.113.43, for=10.0.0.1;host=a.com")))
        .containsExactly(new Element("192.0.2.60", "http", null), new Element("10.0.0.1", null, "a.com"));
  }

  @Test
  void unquotesQuotedValues() {
    assertThat(ForwardedHeader.parse(List.of("for=\"[2001:db8:cafe::17]:4711\";host=\"a\\\"b\"")))
        .containsExactly(new Element("[2001:db8:cafe::17]:4711", null, "a\"b"));
  }

  @Test
  void keepsCommasInsideQuotes() {
    assertThat(ForwardedHeader.parse(List.of("for=\"a,b\", for=1.2.3.4"))).hasSize(2);
  }

  @Test
  void unterminatedQuoteGivesABrokenElement() {
    assertThat(ForwardedHeader.parse(List.of("for=\"1.2.3.4"))).containsExactly(new Element(null, null, null));
  }

  @Test
  void pairWithoutEqualsGivesABrokenElement() {
    assertThat(ForwardedHeader.parse(List.of("garbage, for=1.2.3.4")))
        .containsExactly(new Element(null, null, null), new Element("1.2.3.4", null, null));
  }

  @Test
  void joinsSeveralHeaderLines() {
    assertThat(ForwardedHeader.parse(List.of("for=1.1.1.1", "for=2.2.2.2"))).extracting(Element::forAddress)
        .containsExactly("1.1.1.1", "2.2.2.2");
  }

  @Test
  void skipsEmptyElements() {
    assertThat(ForwardedHeader.parse(List.of(",, for=1.1.1.1 ,"))).containsExactly(new Element("1.1.1.1", null, null));
  }

  @Test
  void keepsOnlyTheRightMostElements() {
    List<Element> elements = ForwardedHeader.parse(List.of("for=1.1.1.1,".repeat(1000) + "for=2.2.2.2"));

    assertThat(elements).hasSize(ForwardedHeader.MAX_ELEMENTS);
    assertThat(elements.get(ForwardedHeader.MAX_ELEMENTS - 1).forAddress()).isEqualTo("2.2.2.2");
  }
}
