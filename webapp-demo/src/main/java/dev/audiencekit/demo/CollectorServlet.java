package dev.audiencekit.demo;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the two services analytics.js talks to, mapped to {@code /v1/*}:
 * the project settings ({@code GET /v1/projects/<writeKey>/settings}, normally on the CDN) and the
 * tracking API ({@code POST /v1/t|p|i|g|a|s} one event, {@code /v1/b} a batch, {@code /v1/m} metrics).
 * Events are kept in {@link BrowserEvents} for the inspector; nothing leaves the machine.
 */
public final class CollectorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern SETTINGS = Pattern.compile("/projects/([A-Za-z0-9_-]{1,100})/settings");
  private static final Map<String, String> TYPES =
      Map.of("/t", "track", "/p", "page", "/i", "identify", "/g", "group", "/a", "alias", "/s", "screen");
  private static final int MAX_BODY = 512 * 1024;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    Matcher settings = SETTINGS.matcher(path);
    if (!settings.matches()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(settings(settings.group(1)).toString());
  }

  /** Project settings: only the Segment.io destination, no remote plugins, no metrics sampling. */
  static JsonObject settings(String writeKey) {
    JsonObjectBuilder everything = Json.createObjectBuilder()
        .add("__default", Json.createObjectBuilder().add("enabled", true).add("integrations", JsonValue.EMPTY_JSON_OBJECT));
    return Json.createObjectBuilder()
        .add("integrations", Json.createObjectBuilder()
            .add("Segment.io", Json.createObjectBuilder().add("apiKey", writeKey)))
        .add("plan", Json.createObjectBuilder()
            .add("track", everything)
            .add("identify", Json.createObjectBuilder().add("__default", Json.createObjectBuilder().add("enabled", true)))
            .add("group", Json.createObjectBuilder().add("__default", Json.createObjectBuilder().add("enabled", true))))
        .add("edgeFunction", JsonValue.EMPTY_JSON_OBJECT)
        .add("analyticsNextEnabled", true)
        .add("middlewareSettings", JsonValue.EMPTY_JSON_OBJECT)
        .add("enabledMiddleware", JsonValue.EMPTY_JSON_OBJECT)
        .add("metrics", Json.createObjectBuilder().add("sampleRate", 0))
        .add("legacyVideoPluginsEnabled", false)
        .add("remotePlugins", JsonValue.EMPTY_JSON_ARRAY)
        .build();
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    if (path.equals("/m")) {
      response.setStatus(HttpServletResponse.SC_OK);
      return;
    }
    String type = TYPES.get(path);
    if (type == null && !path.equals("/b")) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    JsonObject body;
    try (InputStream in = request.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        return;
      }
      try (JsonReader reader = Json.createReader(new java.io.StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
        body = reader.readObject();
      }
    } catch (JsonException | IllegalStateException e) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "not a JSON object");
      return;
    }
    BrowserEvents events = BrowserEvents.of(getServletContext());
    if (type != null) {
      events.add(withType(body, type));
    } else {
      JsonValue batch = body.get("batch");
      if (batch instanceof JsonArray array) {
        for (JsonValue event : array) {
          if (event instanceof JsonObject object) {
            events.add(object);
          }
        }
      }
    }
    response.setContentType("application/json");
    response.getWriter().write("{\"success\":true}");
  }

  private static JsonObject withType(JsonObject event, String type) {
    if (event.containsKey("type")) {
      return event;
    }
    return Json.createObjectBuilder(event).add("type", type).build();
  }
}
