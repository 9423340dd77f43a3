package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.sink.MemorySink;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers the events the memory sink holds, as a JSON array (oldest first). */
public final class EventsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Delivery delivery = (Delivery) getServletContext().getAttribute(AnalyticsFilter.DELIVERY_ATTRIBUTE);
    MemorySink sink = delivery.sink(MemorySink.class).orElseThrow();
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().print("[" + String.join(",", sink.recent()) + "]");
  }
}
