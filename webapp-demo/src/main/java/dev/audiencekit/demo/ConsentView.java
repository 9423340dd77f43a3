package dev.audiencekit.demo;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The visitor's consent as the filter read it for this request, for the banner, the privacy page and the
 * inspector (a JavaBean, for EL): whether the visitor has decided, whether the category the filter
 * requires ({@code consent.required} of the filter named {@value #FILTER}) is granted, and the
 * preferences that every event carries as {@code context.consent.categoryPreferences}.
 */
public final class ConsentView {
  /** The filter's name in web.xml. */
  static final String FILTER = "analytics";
  /** The shop's banner cookie, the filter's {@code consent=cookie:shop_consent} source. */
  public static final String COOKIE = "shop_consent";
  /** What "Accept" grants and "Decline" denies. */
  static final Map<String, Boolean> ACCEPT = Map.of("Analytics", true, "Advertising", false);
  static final Map<String, Boolean> DECLINE = Map.of("Analytics", false, "Advertising", false);

  private final Map<String, Boolean> preferences;
  private final String required;
  private final String page;

  private ConsentView(Map<String, Boolean> preferences, String required, String page) {
    this.preferences = preferences;
    this.required = required;
    this.page = page;
  }

  /** The consent of {@code request}, as its {@link AnalyticsContext} holds it now. */
  public static ConsentView of(HttpServletRequest request) {
    Map<String, Boolean> preferences = AnalyticsContext.get(request).consent();
    return new ConsentView(preferences == null ? Map.of() : preferences, required(request.getServletContext()),
        page(request));
  }

  /** The page the visitor asked for, from the context path on (the original request's, when forwarded). */
  private static String page(HttpServletRequest request) {
    Object forwarded = request.getAttribute(RequestDispatcher.FORWARD_SERVLET_PATH);
    String path;
    String query;
    if (forwarded instanceof String servletPath) {
      Object info = request.getAttribute(RequestDispatcher.FORWARD_PATH_INFO);
      path = servletPath + (info instanceof String s ? s : "");
      query = (String) request.getAttribute(RequestDispatcher.FORWARD_QUERY_STRING);
    } else {
      path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
      query = request.getQueryString();
    }
    return path + (query == null ? "" : "?" + query);
  }

  private static String required(ServletContext context) {
    FilterRegistration filter = context.getFilterRegistration(FILTER);
    String required = filter == null ? null : filter.getInitParameter("consent.required");
    return required == null || required.isBlank() ? null : required.trim();
  }

  /** Whether the visitor has answered the banner (any category known). */
  public boolean isDecided() {
    return !preferences.isEmpty();
  }

  /** Whether the required category is granted (true when nothing is required). */
  public boolean isGranted() {
    return required == null || Boolean.TRUE.equals(preferences.get(required));
  }

  /** The category without which nothing is tracked, or null. */
  public String getRequired() {
    return required;
  }

  /** Where the consent form returns to: this page, from the context path on. */
  public String getPage() {
    return page;
  }

  /** Category → granted, sorted by name; empty while undecided. */
  public Map<String, Boolean> getPreferences() {
    return preferences;
  }

  /** The preferences as JSON text, as {@code context.consent.categoryPreferences} carries them. */
  public String getJson() {
    return preferences.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }
}
