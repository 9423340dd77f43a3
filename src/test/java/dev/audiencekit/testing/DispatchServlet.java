package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Forwards to or includes the probe ({@code ?mode=forward|include}), to show that the filter does not
 * run again on the dispatch and the context is the same object. {@code before} and {@code after}
 * ({@code identify}, {@code reset}) run around the dispatch; each {@code inner} becomes a {@code do}
 * action of the probe.
 */
public final class DispatchServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    AnalyticsContext before = AnalyticsContext.get(request);
    request.setAttribute("before", System.identityHashCode(before));
    StringBuilder target = new StringBuilder("/probe?do=track&event=Dispatched");
    String[] inner = request.getParameterValues("inner");
    for (String action : inner == null ? new String[0] : inner) {
      target.append("&do=").append(action);
    }
    run(request.getParameter("before"), request);
    if ("include".equals(request.getParameter("mode"))) {
      request.getRequestDispatcher(target.toString()).include(request, response);
    } else {
      request.getRequestDispatcher(target.toString()).forward(request, response);
    }
    run(request.getParameter("after"), request);
    if (AnalyticsContext.get(request) != before) {
      throw new IllegalStateException("the dispatch replaced the AnalyticsContext");
    }
  }

  private static void run(String action, HttpServletRequest request) {
    if (action == null) {
      return;
    }
    AnalyticsContext analytics = AnalyticsContext.get(request);
    switch (action) {
      case "identify" -> analytics.identify(request.getParameter("userId"));
      case "reset" -> analytics.reset();
      default -> throw new IllegalArgumentException("unknown action " + action);
    }
  }
}
