package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Answers with the probe's JSON from another thread. {@code start=wrapped} starts async with the
 * request and response the servlet was given (the filter's wrapper, as frameworks do); otherwise with
 * {@code startAsync()}, which hands the container's own response. {@code do=identify} (with
 * {@code userId}) runs on the async thread before the answer is written.
 */
public final class AsyncProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) {
    AnalyticsContext analytics = AnalyticsContext.get(request);
    AsyncContext async = "wrapped".equals(request.getParameter("start"))
        ? request.startAsync(request, response) : request.startAsync();
    async.start(() -> {
      try {
        if ("identify".equals(request.getParameter("do"))) {
          analytics.identify(request.getParameter("userId"));
        }
        async.getResponse().setContentType("application/json;charset=UTF-8");
        async.getResponse().getWriter().print(ProbeServlet.state(analytics));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        async.complete();
      }
    });
  }
}
