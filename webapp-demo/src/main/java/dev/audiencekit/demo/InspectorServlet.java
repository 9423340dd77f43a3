package dev.audiencekit.demo;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.AnalyticsFilter;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.sink.MemorySink;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The identity inspector ({@code /inspector}): the visitor's identity and consent, the cookies as the
 * server saw them and the visitor's latest events from the memory sink: those the server sent, and those
 * analytics.js sent through the filter's first-party endpoint ({@code /ak}), told apart by
 * {@code context.library}. {@code /inspector/events.json} answers every recorded event, for tests and
 * curious developers (a demo on loopback; a real application would not expose this).
 */
public final class InspectorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final int TIMELINE_SIZE = 30;

  /** A cookie as it arrived in the {@code Cookie} header (a JavaBean, for EL). */
  public record SeenCookie(String name, String value, String note) {
    public String getName() { return name; }
    public String getValue() { return value; }
    public String getNote() { return note; }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    if ("/events.json".equals(request.getPathInfo())) {
      eventsJson(response);
      return;
    }
    AnalyticsContext analytics = AnalyticsContext.get(request);
    request.setAttribute("cookies", cookies(request));
    request.setAttribute("consent", ConsentView.of(request));
    request.setAttribute("timeline", timeline(analytics.getAnonymousId(), analytics.getUserId()));
    response.setHeader("Cache-Control", "no-store");
    request.getRequestDispatcher("/WEB-INF/pages/inspector.jsp").forward(request, response);
  }

  /** The cookies in header order, values exactly as sent (the page escapes them). */
  static List<SeenCookie> cookies(HttpServletRequest request) {
    List<SeenCookie> cookies = new ArrayList<>();
    Enumeration<String> headers = request.getHeaders("Cookie");
    while (headers.hasMoreElements()) {
      for (String pair : headers.nextElement().split(";")) {
        String trimmed = pair.trim();
        if (trimmed.isEmpty()) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        String name = eq < 0 ? trimmed : trimmed.substring(0, eq);
        String value = eq < 0 ? "" : trimmed.substring(eq + 1);
        cookies.add(new SeenCookie(name, value, note(name)));
      }
    }
    return cookies;
  }

  private static String note(String name) {
    return switch (name) {
      case "ajs_anonymous_id" -> "anonymousId, shared with analytics.js";
      case "ajs_user_id" -> "userId, shared with analytics.js";
      case "ajs_group_id" -> "groupId, shared with analytics.js";
      case "ak_anonymous_id" -> "HttpOnly backup of the anonymousId";
      case "ak_consent" -> "HttpOnly: whether and how the consent changed since the last request";
      case ConsentView.COOKIE -> "the consent banner's choice (the filter's consent source)";
      case "JSESSIONID" -> "the shop's session";
      default -> "";
    };
  }

  /** This visitor's latest events (its anonymousId, or its userId once known), newest first. */
  List<TimelineEntry> timeline(String anonymousId, String userId) {
    List<TimelineEntry> entries = new ArrayList<>();
    for (JsonObject event : recorded()) {
      if (belongs(event, anonymousId, userId)) {
        entries.add(TimelineEntry.of(event, origin(event)));
      }
    }
    entries.sort(Comparator.comparing(TimelineEntry::time));
    if (entries.size() > TIMELINE_SIZE) {
      entries = new ArrayList<>(entries.subList(entries.size() - TIMELINE_SIZE, entries.size()));
    }
    for (int i = 1; i < entries.size(); i++) {
      if (!Objects.equals(entries.get(i).getAnonymousId(), entries.get(i - 1).getAnonymousId())) {
        entries.get(i).markNewIdentity();
      }
    }
    Collections.reverse(entries);
    return entries;
  }

  private static boolean belongs(JsonObject event, String anonymousId, String userId) {
    return Objects.equals(TimelineEntry.text(event, "anonymousId", null), anonymousId)
        || userId != null && userId.equals(TimelineEntry.text(event, "userId", null));
  }

  /**
   * {@code browser} for an event analytics.js sent through the collection endpoint (it keeps the
   * browser's {@code context.library}), else {@code server}.
   */
  static String origin(JsonObject event) {
    return event.get("context") instanceof JsonObject context && context.get("library") instanceof JsonObject library
        && "analytics.js".equals(TimelineEntry.text(library, "name", null)) ? "browser" : "server";
  }

  /** Every event in the memory sink, in the order the delivery handed them over. */
  private List<JsonObject> recorded() {
    Object delivery = getServletContext().getAttribute(AnalyticsFilter.DELIVERY_ATTRIBUTE);
    if (!(delivery instanceof Delivery d)) {
      return List.of();
    }
    List<JsonObject> events = new ArrayList<>();
    for (String text : d.sink(MemorySink.class).map(MemorySink::recent).orElse(List.of())) {
      try (JsonReader reader = Json.createReader(new StringReader(text))) {
        events.add(reader.readObject());
      } catch (JsonException e) {
        // not an event the inspector can show; the sink keeps the exact text the collector would get
      }
    }
    return events;
  }

  /** {@code {"all": [...], "server": [...], "browser": [...]}}, each in delivery order. */
  private void eventsJson(HttpServletResponse response) throws IOException {
    JsonArrayBuilder all = Json.createArrayBuilder();
    JsonArrayBuilder server = Json.createArrayBuilder();
    JsonArrayBuilder browser = Json.createArrayBuilder();
    for (JsonObject event : recorded()) {
      all.add(event);
      ("browser".equals(origin(event)) ? browser : server).add(event);
    }
    response.setContentType("application/json;charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(Json.createObjectBuilder().add("all", all).add("server", server).add("browser", browser)
        .build().toString());
  }
}
