package dev.audiencekit;

import dev.audiencekit.testing.EventsServlet;
import dev.audiencekit.testing.ProbeServlet;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The web application of the robustness tests: a guard filter that records every exception leaving
 * the filter chain (it is mapped before the analytics filter, so anything the analytics filter lets
 * escape passes through it), the analytics filter, {@code /hello} (sends a page and a track event and
 * answers the identity as JSON with a Content-Length), {@code /probe} and {@code /events} from the
 * shared test app.
 */
final class RobustApp implements ServletContainerInitializer {
  /** Exceptions that escaped the analytics filter (or the servlet behind it), with the request line. */
  final List<String> escaped = new CopyOnWriteArrayList<>();
  private final Map<String, String> initParams;

  RobustApp(Map<String, String> initParams) {
    this.initParams = new LinkedHashMap<>(initParams);
  }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    context.addFilter("guard", new Guard(escaped))
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    AnalyticsFilter.register(context, initParams);
    context.addServlet("hello", new Hello()).addMapping("/hello");
    context.addServlet("ids", new IdsServlet()).addMapping("/ids");
    context.addServlet("probe", new ProbeServlet()).addMapping("/probe");
    context.addServlet("events", new EventsServlet()).addMapping("/events");
  }

  /** Records and rethrows whatever leaves the rest of the chain. */
  static final class Guard implements Filter {
    private final List<String> escaped;

    Guard(List<String> escaped) {
      this.escaped = escaped;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      try {
        chain.doFilter(request, response);
      } catch (IOException | ServletException | RuntimeException | Error e) {
        HttpServletRequest http = (HttpServletRequest) request;
        String query = http.getQueryString();
        escaped.add(e + " on " + http.getRequestURI() + (query == null ? "" : "?" + truncate(query)));
        throw e;
      }
    }
  }

  /** A page view and a track event, then the identity as JSON. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      AnalyticsContext analytics = AnalyticsContext.get(request);
      analytics.page();
      analytics.track("Hostile Input Survived");
      JsonObjectBuilder json = Json.createObjectBuilder()
          .add("anonymousId", analytics.getAnonymousId())
          .add("source", analytics.getSource().name())
          .add("tracked", analytics.isTracked());
      if (analytics.getUserId() == null) {
        json.addNull("userId");
      } else {
        json.add("userId", analytics.getUserId());
      }
      if (analytics.getGroupId() == null) {
        json.addNull("groupId");
      } else {
        json.add("groupId", analytics.getGroupId());
      }
      byte[] body = json.build().toString().getBytes(StandardCharsets.UTF_8);
      response.setContentType("application/json;charset=UTF-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  /**
   * Gives an id to the API: {@code op} is one of {@code anon} ({@code user().anonymousId(id)}),
   * {@code identify}, {@code group}, {@code alias}, {@code optanon} ({@code Options.anonymousId}),
   * {@code optuser} ({@code Options.userId}), several in order; answers the identity as JSON, or
   * {@code {"rejected":"<message>"}} when the API threw {@link IllegalArgumentException}.
   */
  static final class IdsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      AnalyticsContext analytics = AnalyticsContext.get(request);
      String id = request.getParameter("id");
      JsonObjectBuilder json = Json.createObjectBuilder();
      try {
        for (String op : request.getParameterValues("op")) {
          switch (op) {
            case "anon" -> analytics.user().anonymousId(id);
            case "identify" -> analytics.identify(id, Map.of("t", "v"));
            case "group" -> analytics.group(id);
            case "alias" -> analytics.alias(id);
            case "reset" -> analytics.reset();
            case "optanon" -> analytics.track("Ids", null, Options.create().anonymousId(id));
            case "optuser" -> analytics.track("Ids", null, Options.create().userId(id));
            default -> throw new IllegalStateException("unknown op " + op);
          }
        }
        json.add("anonymousId", analytics.getAnonymousId());
        json.add("userId", analytics.getUserId() == null ? "" : analytics.getUserId());
        json.add("groupId", analytics.getGroupId() == null ? "" : analytics.getGroupId());
      } catch (IllegalArgumentException e) {
        json.add("rejected", String.valueOf(e.getMessage()));
      }
      byte[] body = json.build().toString().getBytes(StandardCharsets.UTF_8);
      response.setContentType("application/json;charset=UTF-8");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
    }
  }

  static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
