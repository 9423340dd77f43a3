package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Forwards to or includes the probe ({@code ?mode=forward|include}), to show that the filter does not
 * run again on the dispatch and the context is the same object.
 */
public final class DispatchServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    AnalyticsContext before = AnalyticsContext.get(request);
    request.setAttribute("before", System.identityHashCode(before));
    String target = "/probe?do=track&event=Dispatched";
    if ("include".equals(request.getParameter("mode"))) {
      request.getRequestDispatcher(target).include(request, response);
    } else {
      request.getRequestDispatcher(target).forward(request, response);
    }
    if (AnalyticsContext.get(request) != before) {
      throw new IllegalStateException("the dispatch replaced the AnalyticsContext");
    }
  }
}
