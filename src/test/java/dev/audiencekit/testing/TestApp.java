package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsFilter;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The test web application: the filter (registered through {@link AnalyticsFilter#register}, as a
 * listener-based application would) plus the probe servlets: {@code /probe}, {@code /events},
 * {@code /dispatch}, {@code /metrics}, {@code /gate}, {@code /logout}, {@code /async}.
 */
public final class TestApp implements ServletContainerInitializer {
  private final Map<String, String> initParams;
  private final java.time.Clock clock;

  public TestApp(Map<String, String> initParams) {
    this(initParams, null);
  }

  /** The test application with the filter reading time from {@code clock} (null: the system clock). */
  public TestApp(Map<String, String> initParams, java.time.Clock clock) {
    this.initParams = new LinkedHashMap<>(initParams);
    this.clock = clock;
  }

  /** The defaults of the container tests: events to the memory sink, the memory store. */
  public static Map<String, String> defaults() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("sink", "memory");
    params.put("flushIntervalMs", "20");
    params.put("flushAt", "1");
    params.put("exclude", "/static/*,*.css");
    return params;
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    if (clock != null) {
      context.setAttribute(AnalyticsFilter.CLOCK_ATTRIBUTE, clock);
    }
    AnalyticsFilter.register(context, initParams);
    context.addServlet("probe", new ProbeServlet()).addMapping("/probe", "/static/probe");
    context.addServlet("events", new EventsServlet()).addMapping("/events");
    context.addServlet("dispatch", new DispatchServlet()).addMapping("/dispatch");
    context.addServlet("metrics", new MetricsServlet()).addMapping("/metrics");
    context.addServlet("gate", new GateServlet()).addMapping("/gate");
    context.addServlet("logout", new LogoutServlet()).addMapping("/logout");
    ServletRegistration.Dynamic async = context.addServlet("async", new AsyncProbeServlet());
    async.setAsyncSupported(true);
    async.addMapping("/async");
  }
}
