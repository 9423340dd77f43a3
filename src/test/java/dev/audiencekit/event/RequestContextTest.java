package dev.audiencekit.event;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class RequestContextTest {

  private static RequestContext withQuery(String query) {
    return new RequestContext("1.2.3.4", "UA", "en", "/p", "http://h/p" + (query == null ? "" : "?" + query),
        query, null);
  }

  @Test
  void searchIsTheQueryWithAQuestionMarkOrEmpty() {
    assertThat(withQuery("a=1").search()).isEqualTo("?a=1");
    assertThat(withQuery(null).search()).isEmpty();
  }

  @Test
  void missingRefererIsEmpty() {
    assertThat(withQuery(null).referrer()).isEmpty();
  }

  @Test
  void utmParametersBecomeTheCampaignWithCampaignAsName() {
    JsonObject campaign = withQuery("utm_source=news&utm_medium=email&utm_campaign=winter+sale&utm_term=x&utm_content=y&utm_custom=z").campaign();
    assertThat(campaign.getString("source")).isEqualTo("news");
    assertThat(campaign.getString("medium")).isEqualTo("email");
    assertThat(campaign.getString("name")).isEqualTo("winter sale");
    assertThat(campaign.getString("term")).isEqualTo("x");
    assertThat(campaign.getString("content")).isEqualTo("y");
    assertThat(campaign.getString("custom")).isEqualTo("z");
  }

  @Test
  void campaignValuesArePercentDecodedAndMalformedOnesKeptRaw() {
    assertThat(withQuery("utm_source=%5BFoo%5D").campaign().getString("source")).isEqualTo("[Foo]");
    assertThat(withQuery("utm_source=%E0%A4").campaign().getString("source")).isEqualTo("%E0%A4");
  }

  @Test
  void lastRepeatedUtmKeyWins() {
    assertThat(withQuery("utm_source=a&utm_source=b").campaign().getString("source")).isEqualTo("b");
  }

  @Test
  void bareUtmKeysGiveEmptyValuesAndUtmAloneIsIgnored() {
    assertThat(withQuery("utm_source").campaign().getString("source")).isEmpty();
    assertThat(withQuery("utm_=x&utm=y").campaign()).isNull();
  }

  @Test
  void noUtmMeansNoCampaign() {
    assertThat(withQuery("q=shoes").campaign()).isNull();
  }

  @Test
  void overlongUserAgentIsClipped() {
    RequestContext context = new RequestContext("", "x".repeat(5000), null, "/", "http://h/", null, null);
    assertThat(context.userAgent()).hasSize(RequestContext.MAX_HEADER);
  }
}
