package dev.audiencekit.testing;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.Options;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the analytics calls named by the repeated {@code do} parameter, in order, then answers with the
 * identity as JSON. Parameters: {@code userId}, {@code groupId}, {@code event}, {@code name},
 * {@code anonymousId}, {@code trait=key:value} (repeatable), {@code prop=key:value}.
 * Actions: identify, track, page, group, alias, reset, anon (override), optanon (options.anonymousId on a
 * track), consent ({@code choice=category:true|false}, repeatable), flush (commit the response now),
 * redirect, error (409, no error page), gone (410, which the test web.xml sends to an error page),
 * resetresponse ({@code response.reset()}), appcookie (the application's own {@code app_pref} cookie).
 */
public final class ProbeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    run(request, response);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    run(request, response);
  }

  private void run(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getAttribute(AnalyticsContext.ATTRIBUTE) == null) {
      response.getWriter().print("{\"context\":false}");
      return;
    }
    AnalyticsContext analytics = AnalyticsContext.get(request);
    Map<String, Object> traits = pairs(request.getParameterValues("trait"));
    Map<String, Object> props = pairs(request.getParameterValues("prop"));
    String[] actions = request.getParameterValues("do");
    response.setContentType("application/json;charset=UTF-8");
    PrintWriter out = null;
    for (String action : actions == null ? new String[0] : actions) {
      switch (action) {
        case "identify" -> analytics.identify(request.getParameter("userId"), traits);
        case "track" -> analytics.track(request.getParameter("event"), props);
        case "page" -> analytics.page(request.getParameter("name"), props);
        case "group" -> analytics.group(request.getParameter("groupId"), traits);
        case "alias" -> analytics.alias(request.getParameter("userId"));
        case "reset" -> analytics.reset();
        case "consent" -> {
          Map<String, Boolean> decision = new LinkedHashMap<>();
          pairs(request.getParameterValues("choice")).forEach((k, v) -> decision.put(k, Boolean.valueOf((String) v)));
          analytics.consent(decision);
        }
        case "anon" -> analytics.user().anonymousId(request.getParameter("anonymousId"));
        case "optanon" -> analytics.track(request.getParameter("event"), props,
            Options.create().anonymousId(request.getParameter("anonymousId")));
        case "flush" -> {
          out = response.getWriter();
          out.print(" ");
          out.flush();
        }
        case "redirect" -> {
          response.sendRedirect(request.getContextPath() + "/probe");
          return;
        }
        case "error" -> {
          response.sendError(409, "probe error");
          return;
        }
        case "gone" -> {
          response.sendError(410);
          return;
        }
        case "resetresponse" -> {
          response.reset();
          response.setContentType("application/json;charset=UTF-8");
        }
        case "appcookie" -> response.addCookie(new Cookie("app_pref", "dark"));
        default -> throw new IllegalArgumentException("unknown action " + action);
      }
    }
    if (out == null) {
      out = response.getWriter();
    }
    out.print(state(analytics));
  }

  static String state(AnalyticsContext analytics) {
    JsonObjectBuilder json = Json.createObjectBuilder()
        .add("anonymousId", analytics.user().anonymousId())
        .add("source", analytics.source().name())
        .add("tracked", analytics.isTracked());
    add(json, "userId", analytics.getUserId());
    add(json, "groupId", analytics.getGroupId());
    json.add("traits", Json.createObjectBuilder(analytics.user().traits()));
    if (analytics.consent() != null) {
      JsonObjectBuilder consent = Json.createObjectBuilder();
      analytics.consent().forEach(consent::add);
      json.add("consent", consent);
    }
    return json.build().toString();
  }

  private static void add(JsonObjectBuilder json, String key, String value) {
    if (value == null) {
      json.addNull(key);
    } else {
      json.add(key, value);
    }
  }

  private static Map<String, Object> pairs(String[] values) {
    Map<String, Object> map = new LinkedHashMap<>();
    if (values != null) {
      for (String value : values) {
        int colon = value.indexOf(':');
        map.put(value.substring(0, colon), value.substring(colon + 1));
      }
    }
    return map;
  }
}
