package dev.audiencekit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

/**
 * Serves the analytics.js bundles of the npm package {@code @segment/analytics-next}, copied at build
 * time into the classpath folder {@code analytics-next/bundles/}, under {@code /analytics-next/bundles/*}
 * (the path analytics.js also loads its lazy chunks from, relative to its CDN).
 */
public final class AnalyticsJsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}\\.js");

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo();
    String name = path == null ? "" : path.substring(1);
    if (!NAME.matcher(name).matches()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try (InputStream in = AnalyticsJsServlet.class.getClassLoader()
        .getResourceAsStream("analytics-next/bundles/" + name)) {
      if (in == null) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND,
            "analytics-next/bundles/" + name + " is not on the classpath: build the demo with Maven, which "
                + "installs @segment/analytics-next from the npm registry");
        return;
      }
      response.setContentType("text/javascript;charset=UTF-8");
      response.setHeader("Cache-Control", "public, max-age=3600");
      in.transferTo(response.getOutputStream());
    }
  }
}
