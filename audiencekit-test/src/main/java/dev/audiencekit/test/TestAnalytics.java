package dev.audiencekit.test;

import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.sink.MemorySink;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A real {@link AnalyticsFilter} for an application's own tests: events are kept in memory and can be
 * read back, identities live in memory, and nothing goes to disk or to the network.
 *
 * <p>With Spring's MockMvc, add {@link #filter()} so every request gets its {@code AnalyticsContext}:
 *
 * <pre>{@code
 * TestAnalytics analytics = TestAnalytics.start(webApplicationContext.getServletContext());
 * MockMvc mvc = MockMvcBuilders.webAppContextSetup(webApplicationContext).addFilters(analytics.filter()).build();
 * mvc.perform(post("/orders").param("item", "mug")).andExpect(status().is3xxRedirection());
 * assertThat(analytics.events()).anyMatch(e -> "Order Placed".equals(e.getString("event", null)));
 * analytics.close();
 * }</pre>
 *
 * <p>Without MockMvc, {@link #handle} runs a servlet (or any code) inside the filter, on mock or real
 * requests. {@link #close()} destroys the filter, which stops its threads; a test class should close
 * what it started.
 */
public final class TestAnalytics implements AutoCloseable {
  /** The filter name used for the test filter; also part of its JMX name. */
  public static final String FILTER_NAME = "analytics";

  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final AnalyticsFilter filter;
  private final ServletContext context;
  private volatile boolean closed;

  private TestAnalytics(AnalyticsFilter filter, ServletContext context) {
    this.filter = filter;
    this.context = context;
  }

  /**
   * The init-params of the test configuration: {@code sink=memory} (events kept for {@link #events()}),
   * {@code spool.dir=none} (no folder in the temp directory), {@code store=memory}, and each event
   * delivered at once ({@code flushAt=1}). A copy: change it and pass it to {@link #start(ServletContext, Map)}.
   */
  public static Map<String, String> initParams() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sink", "memory");
    params.put("spool.dir", "none");
    params.put("store", "memory");
    params.put("flushAt", "1");
    params.put("flushIntervalMs", "10");
    return params;
  }

  /** Starts the filter with {@link #initParams()} in {@code context} (e.g. Spring's MockServletContext). */
  public static TestAnalytics start(ServletContext context) throws ServletException {
    return start(context, initParams());
  }

  /**
   * Starts the filter with exactly {@code initParams} (start from {@link #initParams()} to keep events in
   * memory). An unusable setting fails here, as it would fail the application's start-up.
   */
  public static TestAnalytics start(ServletContext context, Map<String, String> initParams) throws ServletException {
    AnalyticsFilter filter = new AnalyticsFilter();
    filter.init(new Config(context, Map.copyOf(initParams)));
    return new TestAnalytics(filter, context);
  }

  /** The started filter, to add to MockMvc ({@code addFilters}) or to a mock filter chain. */
  public Filter filter() {
    return filter;
  }

  /**
   * Runs {@code inner} (e.g. {@code servlet::service}) inside the filter, so it finds an
   * {@code AnalyticsContext} on the request and the response gets the identity cookies.
   */
  public void handle(ServletRequest request, ServletResponse response, FilterChain inner)
      throws IOException, ServletException {
    filter.doFilter(request, response, inner);
  }

  /**
   * Every event recorded so far, oldest first, once each one sent by a finished request has reached the
   * memory sink (waits up to 10 s for that). Empty when the configuration has no {@code memory} sink.
   */
  public List<JsonObject> events() {
    MemorySink sink = memorySink();
    if (sink == null) {
      return List.of();
    }
    awaitDelivered();
    List<JsonObject> events = new ArrayList<>();
    for (String text : sink.recent()) {
      try (JsonReader reader = Json.createReader(new StringReader(text))) {
        events.add(reader.readObject());
      }
    }
    return events;
  }

  /** The recorded events of one type ({@code track}, {@code page}, {@code identify}, {@code group}, {@code alias}). */
  public List<JsonObject> events(String type) {
    return events().stream().filter(e -> type.equals(e.getString("type", null))).toList();
  }

  /** Forgets the events recorded so far (after waiting for those still on their way). */
  public void clearEvents() {
    MemorySink sink = memorySink();
    if (sink != null) {
      awaitDelivered();
      sink.clear();
    }
  }

  /** Destroys the filter: its delivery threads stop and nothing of it is left behind. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      filter.destroy();
    }
  }

  private MemorySink memorySink() {
    return context.getAttribute(AnalyticsFilter.DELIVERY_ATTRIBUTE) instanceof Delivery delivery
        ? delivery.sink(MemorySink.class).orElse(null) : null;
  }

  /** Waits until every accepted event was delivered or dropped; flushes first so nothing lingers. */
  private void awaitDelivered() {
    if (!(context.getAttribute(AnalyticsFilter.DELIVERY_ATTRIBUTE) instanceof Delivery delivery)
        || !(context.getAttribute(AnalyticsFilter.METRICS_ATTRIBUTE) instanceof Metrics metrics)) {
      return;
    }
    delivery.flush();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (metrics.eventsDelivered.sum() + metrics.droppedTotal() < metrics.eventsAccepted.sum()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("audiencekit test filter: " + metrics.eventsAccepted.sum()
            + " event(s) accepted but only " + metrics.eventsDelivered.sum() + " delivered after " + SETTLE);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** The filter's configuration: its name, the given init-params and the servlet context. */
  private record Config(ServletContext context, Map<String, String> params) implements FilterConfig {
    @Override public String getFilterName() { return FILTER_NAME; }
    @Override public ServletContext getServletContext() { return context; }
    @Override public String getInitParameter(String name) { return params.get(name); }
    @Override public Enumeration<String> getInitParameterNames() { return Collections.enumeration(params.keySet()); }
  }
}
