package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A log-out page: calls {@code reset()} and answers without touching the identity again, so no new
 * anonymousId is minted in this response (the cookies are deleted), as a real log-out that redirects
 * would do.
 */
public final class LogoutServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    AnalyticsContext.get(request).reset();
    response.setContentType("application/json;charset=UTF-8");
    response.getWriter().print("{\"loggedOut\":true}");
  }
}
