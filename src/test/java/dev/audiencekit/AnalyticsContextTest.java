package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.config.Settings;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.privacy.BotDetector;
import dev.audiencekit.privacy.Fingerprinter;
import dev.audiencekit.sink.MemorySink;
import dev.audiencekit.store.MemoryStore;
import dev.audiencekit.store.Mirror;
import dev.audiencekit.testing.FakeRequest;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * analytics.js semantics of the context (SPEC §6), on an engine with the memory store and the memory
 * sink. Multi-request behaviour is covered by the container tests.
 */
class AnalyticsContextTest {
  @TempDir Path temp;
  private Engine engine;
  private Metrics metrics;
  private MemorySink sink;

  @BeforeEach
  void start() {
    Settings settings = Settings.of(Map.of("sink", "memory", "flushAt", "1", "flushIntervalMs", "10",
        "spool.dir", "none"));
    metrics = new Metrics();
    Delivery delivery = Delivery.start(settings, metrics, temp, "test");
    sink = delivery.sink(MemorySink.class).orElseThrow();
    engine = new Engine(settings, metrics, Clock.systemUTC(),
        Mirror.create(new MemoryStore(1000), settings, metrics, Clock.systemUTC()), delivery,
        new Fingerprinter(settings), new BotDetector(List.of()), "test");
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private AnalyticsContext open(FakeRequest request) {
    HttpServletRequest built = request.uri("/shop").header("User-Agent", "Mozilla/5.0 Firefox/128.0").build();
    return engine.open(built);
  }

  private AnalyticsContext open() {
    return open(new FakeRequest());
  }

  /** Waits for the n-th event (1-based) the sink receives and returns it. */
  private JsonObject event(int n) {
    List<String> events = await().until(sink::recent, list -> list.size() >= n);
    return Json.createReader(new StringReader(events.get(n - 1))).readObject();
  }

  @Test
  void firstRequestWithoutCookiesMintsAUuid() {
    AnalyticsContext analytics = open();
    assertThat(analytics.source()).isEqualTo(IdentitySource.NEW);
    assertThat(analytics.user().anonymousId()).matches(FilterContract.UUID_PATTERN);
    assertThat(metrics.idsMinted.sum()).isEqualTo(1);
  }

  @Test
  void anonymousIdComesFromTheCookie() {
    AnalyticsContext analytics = open(new FakeRequest().header("Cookie", "ajs_anonymous_id=abc-1"));
    assertThat(analytics.getAnonymousId()).isEqualTo("abc-1");
    assertThat(analytics.source()).isEqualTo(IdentitySource.COOKIE);
  }

  @Test
  void identifyFromAnonymousKeepsTheAnonymousIdAndMergesTraits() {
    AnalyticsContext analytics = open();
    String anonymousId = analytics.user().anonymousId();
    analytics.user().traits(Map.of("visits", 3));
    analytics.identify("u1", Map.of("email", "a@example.com"));
    assertThat(analytics.user().anonymousId()).isEqualTo(anonymousId);
    assertThat(analytics.user().traits()).containsEntry("visits", 3L).containsEntry("email", "a@example.com");
  }

  @Test
  void identifySameUserMergesTraitsShallowly() {
    AnalyticsContext analytics = open();
    analytics.identify("u1", Map.of("a", 1, "b", 1));
    analytics.identify("u1", Map.of("b", 2));
    assertThat(analytics.user().traits()).containsEntry("a", 1L).containsEntry("b", 2L);
  }

  @Test
  void identifyDifferentUserRegeneratesAnonymousIdAndReplacesTraits() {
    AnalyticsContext analytics = open();
    analytics.identify("alice", Map.of("plan", "pro"));
    String before = analytics.user().anonymousId();
    analytics.identify("bob", Map.of("role", "admin"));
    assertThat(analytics.user().anonymousId()).isNotEqualTo(before).matches(FilterContract.UUID_PATTERN);
    assertThat(analytics.user().traits()).containsOnlyKeys("role");
    assertThat(analytics.getUserId()).isEqualTo("bob");
  }

  @Test
  void identifyWithNullUserIdKeepsTheCurrentOne() {
    AnalyticsContext analytics = open();
    analytics.identify("u1");
    analytics.identify(Map.of("x", "y"));
    assertThat(analytics.user().id()).isEqualTo("u1");
    assertThat(analytics.user().traits()).containsEntry("x", "y");
  }

  @Test
  void identifyEventCarriesTheFullMergedTraits() {
    AnalyticsContext analytics = open();
    analytics.identify("u1", Map.of("a", 1));
    analytics.identify("u1", Map.of("b", 2));
    JsonObject second = event(2);
    assertThat(second.getString("type")).isEqualTo("identify");
    assertThat(second.getJsonObject("traits")).containsOnlyKeys("a", "b");
    assertThat(second.getString("userId")).isEqualTo("u1");
  }

  @Test
  void anonymousEventsCarryANullUserId() {
    AnalyticsContext analytics = open();
    analytics.track("Viewed");
    assertThat(event(1).get("userId")).isEqualTo(JsonValue.NULL);
  }

  @Test
  void optionsUserIdIsUsedOnlyWhileAnonymousAndNotPersisted() {
    AnalyticsContext analytics = open();
    analytics.track("A", null, Options.create().userId("from-options"));
    assertThat(event(1).getString("userId")).isEqualTo("from-options");
    assertThat(analytics.user().id()).isNull();
    analytics.identify("known");
    analytics.track("B", null, Options.create().userId("from-options"));
    assertThat(event(3).getString("userId")).isEqualTo("known");
  }

  @Test
  void optionsAnonymousIdPersistsForLaterCalls() {
    AnalyticsContext analytics = open();
    analytics.track("A", null, Options.create().anonymousId("ABC-123-XYZ"));
    analytics.track("B");
    assertThat(event(1).getString("anonymousId")).isEqualTo("ABC-123-XYZ");
    assertThat(event(2).getString("anonymousId")).isEqualTo("ABC-123-XYZ");
    assertThat(analytics.user().anonymousId()).isEqualTo("ABC-123-XYZ");
  }

  @Test
  void contextTraitsGoToOneEventOnly() {
    AnalyticsContext analytics = open();
    analytics.track("A", null, Options.create().contextTraits(Map.of("tier", "gold")));
    analytics.track("B");
    assertThat(event(1).getJsonObject("context").getJsonObject("traits").getString("tier")).isEqualTo("gold");
    assertThat(event(2).getJsonObject("context")).doesNotContainKey("traits");
    assertThat(analytics.user().traits()).isEmpty();
  }

  @Test
  void emptyIpOptionKeepsTheIpOutOfTheEvent() {
    AnalyticsContext analytics = open();
    analytics.track("Order Completed", Map.of("total", 10), Options.create().ip(""));
    assertThat(event(1).getJsonObject("context").getString("ip")).isEmpty();
  }

  @Test
  void integrationsAndMessageIdAndTimestampOptionsReachTheEvent() {
    AnalyticsContext analytics = open();
    analytics.track("A", null, Options.create().integration("All", false).integration("Mixpanel", true)
        .messageId("m-1").timestamp(java.time.Instant.parse("2026-01-01T00:00:00Z")));
    JsonObject event = event(1);
    assertThat(event.getJsonObject("integrations").getBoolean("All")).isFalse();
    assertThat(event.getString("messageId")).isEqualTo("m-1");
    assertThat(event.getString("timestamp")).isEqualTo("2026-01-01T00:00:00.000Z");
  }

  @Test
  void resetClearsEverythingAndMintsANewIdLazily() {
    AnalyticsContext analytics = open();
    analytics.identify("u1", Map.of("a", 1));
    analytics.group("g1", Map.of("b", 2));
    String before = analytics.user().anonymousId();
    analytics.reset();
    assertThat(analytics.peekAnonymousId()).isNull();
    assertThat(analytics.user().id()).isNull();
    assertThat(analytics.group().id()).isNull();
    assertThat(analytics.user().traits()).isEmpty();
    assertThat(analytics.group().traits()).isEmpty();
    assertThat(analytics.user().anonymousId()).isNotEqualTo(before).matches(FilterContract.UUID_PATTERN);
  }

  @Test
  void anonymousIdNullClearsAndTheNextReadGenerates() {
    AnalyticsContext analytics = open();
    String before = analytics.user().anonymousId();
    assertThat(analytics.user().anonymousId(null)).isNull();
    assertThat(analytics.user().anonymousId()).isNotEqualTo(before);
  }

  @Test
  void groupNeverChangesTheAnonymousIdAndMergesOrReplacesTraits() {
    AnalyticsContext analytics = open();
    String id = analytics.user().anonymousId();
    analytics.group("g1", Map.of("a", 1));
    analytics.group("g1", Map.of("b", 2));
    assertThat(analytics.group().traits()).containsOnlyKeys("a", "b");
    analytics.group("g2", Map.of("c", 3));
    assertThat(analytics.group().traits()).containsOnlyKeys("c");
    assertThat(analytics.user().anonymousId()).isEqualTo(id);
    JsonObject event = event(3);
    assertThat(event.getString("groupId")).isEqualTo("g2");
    assertThat(event.getString("anonymousId")).isEqualTo(id);
  }

  @Test
  void aliasPreviousIdDefaultsToTheUserIdElseTheAnonymousId() {
    AnalyticsContext analytics = open();
    String anonymousId = analytics.user().anonymousId();
    analytics.alias("new-1");
    analytics.identify("old-user");
    analytics.alias("new-2");
    assertThat(event(1).getString("previousId")).isEqualTo(anonymousId);
    assertThat(event(1).getString("userId")).isEqualTo("new-1");
    assertThat(event(3).getString("previousId")).isEqualTo("old-user");
  }

  @Test
  void pageEventCopiesPageFieldsIntoPropertiesAndCallerKeysWin() {
    AnalyticsContext analytics = open(new FakeRequest().query("q=1"));
    analytics.page("Docs", "Install", Map.of("url", "https://canonical.example/install"), null);
    JsonObject event = event(1);
    JsonObject properties = event.getJsonObject("properties");
    assertThat(properties.getString("path")).isEqualTo("/shop");
    assertThat(properties.getString("search")).isEqualTo("?q=1");
    assertThat(properties.getString("url")).isEqualTo("https://canonical.example/install");
    assertThat(properties.getString("name")).isEqualTo("Install");
    assertThat(properties.getString("category")).isEqualTo("Docs");
    assertThat(event.getString("name")).isEqualTo("Install");
    assertThat(event.getJsonObject("context").getJsonObject("page").getString("url"))
        .isEqualTo("https://canonical.example/install");
  }

  @Test
  void idsAreValidatedNamingTheArgument() {
    AnalyticsContext analytics = open();
    assertThatThrownBy(() -> analytics.identify("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("userId");
    assertThatThrownBy(() -> analytics.identify("x".repeat(257))).hasMessageStartingWith("userId");
    assertThatThrownBy(() -> analytics.user().anonymousId("a\r\nSet-Cookie: x=y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("anonymousId");
    assertThatThrownBy(() -> analytics.group("g\u0000")).hasMessageStartingWith("groupId");
    assertThatThrownBy(() -> analytics.alias("u", "\t", null)).hasMessageStartingWith("previousId");
    assertThatThrownBy(() -> Options.create().anonymousId("")).hasMessageStartingWith("anonymousId");
  }

  @Test
  void idsWithEveryOtherCharacterAreAccepted() {
    AnalyticsContext analytics = open();
    analytics.identify("a;b,c \"d\" é 😀");
    assertThat(analytics.user().id()).isEqualTo("a;b,c \"d\" é 😀");
  }

  @Test
  void traitWithoutAJsonFormIsRejectedNamingTheKey() {
    AnalyticsContext analytics = open();
    Map<String, Object> traits = new LinkedHashMap<>();
    traits.put("when", new Object());
    assertThatThrownBy(() -> analytics.identify("u", traits)).hasMessageStartingWith("traits.when");
  }

  @Test
  void trackWithoutAnEventNameIsRejected() {
    assertThatThrownBy(() -> open().track("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getWithoutTheFilterExplainsHowToMapIt() {
    HttpServletRequest request = new FakeRequest().build();
    assertThatThrownBy(() -> AnalyticsContext.get(request)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("<filter-mapping>");
  }

  @Test
  void readyRunsTheCallbackAtOnce() {
    AtomicBoolean ran = new AtomicBoolean();
    open().ready(() -> ran.set(true));
    assertThat(ran).isTrue();
  }

  @Test
  void crawlerContextIsUntrackedAndDiscardsEvents() {
    AnalyticsContext analytics = engine.open(new FakeRequest()
        .header("User-Agent", "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)").build());
    assertThat(analytics.isTracked()).isFalse();
    analytics.track("Crawled");
    assertThat(metrics.eventsDiscarded.sum()).isEqualTo(1);
    assertThat(metrics.idsMinted.sum()).isZero();
  }

  @Test
  void elGettersMirrorTheMethods() {
    AnalyticsContext analytics = open(new FakeRequest().header("Cookie", "ajs_anonymous_id=a1; ajs_user_id=u1; ajs_group_id=g1"));
    assertThat(analytics.getAnonymousId()).isEqualTo("a1");
    assertThat(analytics.getUserId()).isEqualTo("u1");
    assertThat(analytics.getGroupId()).isEqualTo("g1");
    assertThat(analytics.getUser().getId()).isEqualTo("u1");
    assertThat(analytics.getGroup().getId()).isEqualTo("g1");
    assertThat(analytics.getSource()).isEqualTo(IdentitySource.COOKIE);
  }
}
