package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds every request of one gate ({@code ?gate=name&parties=n}) until {@code n} of them have arrived,
 * then answers each with the identity as the probe does. The filter has resolved the identity of all
 * {@code n} requests before any of them ends, so none of them can learn from another one's completion.
 * A request that waits longer than 10 s answers 504.
 */
public final class GateServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AnalyticsContext analytics = AnalyticsContext.get(request);
    String state = ProbeServlet.state(analytics); // the identity as resolved, before anyone completes
    int parties = Integer.parseInt(request.getParameter("parties"));
    CountDownLatch gate = GATES.computeIfAbsent(request.getParameter("gate"), name -> new CountDownLatch(parties));
    gate.countDown();
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        response.sendError(504, "the other requests of the gate did not arrive");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.sendError(503);
      return;
    }
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().print(state);
  }
}
