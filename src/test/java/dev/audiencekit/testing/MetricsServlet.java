package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.metrics.Metrics;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers the filter's counters ({@link AnalyticsFilter#METRICS_ATTRIBUTE}) as a JSON object, one
 * member per public {@link LongAdder} of {@link Metrics}, e.g. {@code {"storeErrors":3,...}}, and the
 * collection endpoint's refusals by reason as {@code "collectRefusedByReason":{"too-large":1,...}}.
 */
public final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Metrics metrics = (Metrics) getServletContext().getAttribute(AnalyticsFilter.METRICS_ATTRIBUTE);
    JsonObjectBuilder json = Json.createObjectBuilder();
    for (Field field : Metrics.class.getFields()) {
      if (field.getType() == LongAdder.class && !Modifier.isStatic(field.getModifiers())) {
        try {
          json.add(field.getName(), ((LongAdder) field.get(metrics)).sum());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    JsonObjectBuilder refused = Json.createObjectBuilder();
    metrics.collectRefusedByReason().forEach(refused::add);
    json.add("collectRefusedByReason", refused);
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().print(json.build().toString());
  }
}
