package dev.audiencekit.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.cookie;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.test.TestAnalytics;
import jakarta.json.JsonObject;
import jakarta.servlet.http.Cookie;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * How an application team tests its controllers with MockMvc: {@link TestAnalytics} (audiencekit-test)
 * puts the real filter in front of the DispatcherServlet, so controllers find their
 * {@code AnalyticsContext}, and the test reads back the events they sent.
 */
@SpringJUnitWebConfig(WebConfig.class)
class OrderControllerMockMvcTest {
  @Autowired WebApplicationContext wac;
  private TestAnalytics analytics;
  private MockMvc mvc;

  @BeforeEach
  void setUp() throws Exception {
    analytics = TestAnalytics.start(wac.getServletContext());
    mvc = MockMvcBuilders.webAppContextSetup(wac).addFilters(analytics.filter()).build();
  }

  @AfterEach
  void tearDown() {
    analytics.close();
  }

  @Test
  void placingAnOrderTracksItForTheVisitorAndRedirects() throws Exception {
    MvcResult result = mvc.perform(post("/orders").param("item", "mug"))
        .andExpect(redirectedUrl("/orders/done"))
        .andExpect(cookie().httpOnly("ak_anonymous_id", true))
        .andReturn();

    String anonymousId = result.getResponse().getCookie("ajs_anonymous_id").getValue();
    List<JsonObject> tracks = analytics.events("track");
    assertThat(tracks).singleElement().satisfies(track -> {
      assertThat(track.getString("event")).isEqualTo("Order Placed");
      assertThat(track.getString("anonymousId")).isEqualTo(anonymousId);
      assertThat(track.getJsonObject("properties").getString("item")).isEqualTo("mug");
    });
  }

  @Test
  void aReturningVisitorKeepsItsId() throws Exception {
    String known = "2b7d4f8e-1c3a-4e5f-9a6b-7c8d9e0f1a2b";

    MvcResult result = mvc.perform(get("/").cookie(new Cookie("ajs_anonymous_id", known),
            new Cookie("ak_anonymous_id", known)))
        .andExpect(forwardedUrl("/WEB-INF/jsp/home.jsp"))
        .andReturn();

    assertThat(AnalyticsContext.get(result.getRequest()).getAnonymousId()).isEqualTo(known);
  }

  @Test
  void withoutTheFilterTheControllerFindsNoContext() {
    MockMvc withoutFilter = MockMvcBuilders.webAppContextSetup(wac).build();

    assertThatThrownBy(() -> withoutFilter.perform(post("/orders").param("item", "mug")))
        .rootCause().hasMessageContaining("No AnalyticsContext");
  }
}
