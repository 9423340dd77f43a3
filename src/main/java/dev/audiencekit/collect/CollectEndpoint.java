package dev.audiencekit.collect;

import dev.audiencekit.config.Cidr;
import dev.audiencekit.config.Settings;
import dev.audiencekit.event.BrowserEvents;
import dev.audiencekit.event.JsonStrings;
import dev.audiencekit.http.ClientRequest;
import dev.audiencekit.http.Origin;
import dev.audiencekit.http.PathPatterns;
import dev.audiencekit.metrics.Metrics;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The first-party collection endpoint: under the {@code collect} prefix the filter answers
 * analytics.js's tracking API itself, so browser events reach the collector through the application's
 * own origin, with the server's identity, and through the server's delivery.
 *
 * <ul>
 *   <li>{@code POST /v1/t|p|i|g|a|s} (one event, at most {@value #MAX_EVENT_BYTES} bytes) and
 *       {@code POST /v1/b|batch} ({@code {"batch":[…]}}, at most {@value #MAX_BATCH_BYTES} bytes and
 *       {@value #MAX_BATCH_EVENTS} events), {@code Content-Type} {@code application/json} or
 *       {@code text/plain}: {@code 200 {"success":true}};</li>
 *   <li>{@code GET /v1/projects/{writeKey}/settings}: a settings object that sends analytics.js here;</li>
 *   <li>{@code GET /analytics.js}: the {@code collect.bundle} file, when one is configured;</li>
 *   <li>{@code OPTIONS} on the event paths: a CORS preflight, answered for allowed origins only.</li>
 * </ul>
 *
 * <p>Everything else is refused with a 4xx and {@code {"success":false,"error":"…"}}, counted by
 * reason, and nothing of such a request is queued: an unknown path, a wrong method or content type,
 * an origin that is neither this host nor listed in {@code collect.allowOrigins}, a body over its
 * limit, invalid JSON, an event of the wrong shape, a client over {@code collect.maxEventsPerMinute}.
 * A request whose visitor is not tracked (a skipped bot, no consent) is answered 204. A batch is
 * accepted or refused as a whole.
 *
 * <p>Thread-safe; one instance per filter. {@link #handle} never throws.
 */
public final class CollectEndpoint {
  /** The servlet context attribute under which the filter publishes its endpoint (for the snippet tag). */
  public static final String ATTRIBUTE = CollectEndpoint.class.getName();
  static final int MAX_EVENT_BYTES = 32 * 1024;
  static final int MAX_BATCH_BYTES = 500 * 1024;
  static final int MAX_BATCH_EVENTS = 100;
  static final String PREFLIGHT_HEADERS = "Content-Type, Authorization, X-Retry-Count";
  private static final String JSON = "application/json;charset=UTF-8";
  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);
  private static final System.Logger LOG = System.getLogger(CollectEndpoint.class.getName());
  private static final long WARN_EVERY_MS = 60_000;
  private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

  private final String prefix;
  private final dev.audiencekit.config.TrustedProxies trustedProxies;
  private final Set<String> allowOrigins;
  private final RateLimiter limiter;
  private final Bundle bundle;
  private final BrowserEvents events;
  private final Metrics metrics;
  private final Clock clock;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

  private CollectEndpoint(Settings settings, Metrics metrics, Clock clock, Bundle bundle) {
    this.prefix = settings.collect();
    this.trustedProxies = settings.trustedProxies();
    this.allowOrigins = Set.copyOf(settings.collectAllowOrigins());
    this.limiter = new RateLimiter(settings.collectMaxEventsPerMinute(), clock);
    this.bundle = bundle;
    this.events = new BrowserEvents(clock);
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * The endpoint of a filter, or {@code null} when {@code collect} is not set.
   *
   * @param loader the web application's class loader, for a {@code classpath:} bundle
   * @throws dev.audiencekit.config.InvalidSettingException naming {@code collect.bundle} when it cannot be read
   */
  public static CollectEndpoint create(Settings settings, Metrics metrics, Clock clock, ClassLoader loader) {
    if (settings.collect() == null) {
      return null;
    }
    Bundle bundle = settings.collectBundle() == null ? null : Bundle.load(settings.collectBundle(), loader);
    return new CollectEndpoint(settings, metrics, clock, bundle);
  }

  /** The path prefix within the context, e.g. {@code /ak}. */
  public String prefix() {
    return prefix;
  }

  /** Whether {@code {prefix}/analytics.js} is served. */
  public boolean servesBundle() {
    return bundle != null;
  }

  /** Whether the request's path within its context is the prefix or lies under it. */
  public boolean matches(HttpServletRequest request) {
    String path = PathPatterns.pathWithinContext(request);
    return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
  }

  /** Answers a request that {@link #matches}; never throws, never answers with a 5xx. */
  public void handle(HttpServletRequest request, HttpServletResponse response, Visitor visitor) {
    try {
      serve(request, response, visitor);
    } catch (IOException e) {
      // the client went away, or its body broke off: there may be nobody left to answer
      refuse(response, 400, "unreadable", "the request body could not be read");
    } catch (RuntimeException e) {
      long now = clock.millis();
      long last = lastWarning.get();
      if (now - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, now)) {
        LOG.log(System.Logger.Level.WARNING, "audiencekit collect: request refused by an unexpected error", e);
      }
      refuse(response, 400, "error", "the request could not be processed");
    }
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, Visitor visitor) throws IOException {
    Route route = Route.of(PathPatterns.pathWithinContext(request).substring(prefix.length()), bundle != null);
    if (route.kind() == Route.Kind.UNKNOWN) {
      refuse(response, 404, "unknown-path", "no such path; events go to /v1/t, /p, /i, /g, /a, /s, /b or /batch");
      return;
    }
    ClientRequest client = ClientRequest.of(request, trustedProxies);
    String origin = request.getHeader("Origin");
    Access access = access(origin, client);
    if (access == Access.LISTED) {
      response.setHeader("Access-Control-Allow-Origin", Origin.normalize(origin));
      response.setHeader("Access-Control-Allow-Credentials", "true");
    }
    if (origin != null) {
      response.addHeader("Vary", "Origin");
    }
    String method = request.getMethod();
    if (method.equals("OPTIONS") && route.kind().takesEvents()) {
      preflight(response, origin, access);
      return;
    }
    if (!route.kind().allows(method)) {
      response.setHeader("Allow", route.kind().allow());
      refuse(response, 405, "method", "method " + safe(method) + " is not allowed here; use " + route.kind().allow());
      return;
    }
    if (access == Access.REFUSED) {
      refuse(response, 403, "origin", "cross-origin requests from this origin are not allowed");
      return;
    }
    switch (route.kind()) {
      case SETTINGS -> settings(request, response, client, route.writeKey());
      case BUNDLE -> bundle.serve(request, response);
      default -> collect(request, response, client, route, visitor);
    }
  }

  // ---------------------------------------------------------------- events

  private void collect(HttpServletRequest request, HttpServletResponse response, ClientRequest client, Route route,
      Visitor visitor) throws IOException {
    if (!visitor.tracked()) {
      metrics.collectRefused("untracked");
      response.setHeader("Cache-Control", "no-store");
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    if (!acceptedContentType(request.getContentType())) {
      refuse(response, 415, "content-type", "Content-Type must be application/json or text/plain, in UTF-8");
      return;
    }
    String encoding = request.getHeader("Content-Encoding");
    if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
      refuse(response, 415, "content-type", "Content-Encoding is not supported; send the body uncompressed");
      return;
    }
    long wait = limiter.peek(client.ip());
    if (wait > 0) {
      tooMany(response, wait);
      return;
    }
    boolean batch = route.kind() == Route.Kind.BATCH;
    int limit = batch ? MAX_BATCH_BYTES : MAX_EVENT_BYTES;
    byte[] body = BoundedBody.read(request, limit);
    if (body == null) {
      response.setHeader("Connection", "close"); // the rest of the body is not read
      refuse(response, 413, "too-large", "the body is over " + limit / 1024 + " KB");
      return;
    }
    JsonValue json = parse(body);
    if (json == null) {
      refuse(response, 400, "invalid-json", "the body is not JSON text in UTF-8");
      return;
    }
    List<JsonValue> given;
    if (batch) {
      JsonValue list = json instanceof JsonObject object ? object.get("batch") : null;
      if (!(list instanceof JsonArray array)) {
        refuse(response, 400, "invalid-event", "the body is not an object with a batch array");
        return;
      }
      if (array.size() > MAX_BATCH_EVENTS) {
        refuse(response, 413, "too-many-events", "the batch holds " + array.size() + " events; at most "
            + MAX_BATCH_EVENTS + " are accepted");
        return;
      }
      given = array;
    } else {
      given = List.of(json);
    }
    BrowserEvents.Server server =
        new BrowserEvents.Server(visitor.anonymousId(), visitor.userId(), visitor.ip(), visitor.consentJson());
    List<String> out = new ArrayList<>(given.size());
    int replaced = 0;
    for (int i = 0; i < given.size(); i++) {
      String where = batch ? "batch[" + i + "]: " : "";
      BrowserEvents.Rewritten event;
      try {
        event = events.rewrite(given.get(i), batch ? null : route.type(), server);
      } catch (BrowserEvents.InvalidEventException e) {
        refuse(response, 400, "invalid-event", where + e.getMessage());
        return;
      }
      if (utf8Length(event.json()) > MAX_EVENT_BYTES) {
        refuse(response, 413, "too-large", where + "the event is over " + MAX_EVENT_BYTES / 1024 + " KB");
        return;
      }
      out.add(event.json());
      replaced += event.idsReplaced() ? 1 : 0;
    }
    if (!out.isEmpty()) {
      wait = limiter.acquire(client.ip(), out.size());
      if (wait > 0) {
        tooMany(response, wait);
        return;
      }
    }
    for (String event : out) {
      visitor.deliver(event);
    }
    metrics.collectEvents.add(out.size());
    metrics.collectIdsReplaced.add(replaced);
    answer(response, 200, SUCCESS);
  }

  private static JsonValue parse(byte[] body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        return null;
      }
      parser.next();
      JsonValue value = parser.getValue();
      return parser.hasNext() ? null : value; // one JSON text, nothing after it
    } catch (RuntimeException e) { // JsonException, and whatever else a hostile document provokes in the parser
      return null;
    }
  }

  /** {@code application/json} or {@code text/plain}, with no charset or UTF-8. */
  static boolean acceptedContentType(String header) {
    if (header == null) {
      return false;
    }
    String[] parts = header.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !type.equals("text/plain")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      int eq = parameter.indexOf('=');
      if (eq > 0 && parameter.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String charset = parameter.substring(eq + 1).trim().replace("\"", "");
        if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  private void tooMany(HttpServletResponse response, long waitNanos) {
    response.setHeader("Retry-After", Long.toString(RateLimiter.retryAfterSeconds(waitNanos)));
    refuse(response, 429, "rate-limit", "too many events from this address; at most the configured number per minute");
  }

  // ---------------------------------------------------------------- settings, preflight

  /**
   * A minimal project settings object: analytics.js sends to this endpoint, over the scheme and to the
   * host the request used, with no destinations of its own and no remote metrics.
   */
  private void settings(HttpServletRequest request, HttpServletResponse response, ClientRequest client,
      String writeKey) throws IOException {
    StringBuilder out = new StringBuilder(384);
    out.append("{\"integrations\":{\"Segment.io\":{\"apiKey\":");
    JsonStrings.append(out, writeKey);
    out.append(",\"apiHost\":");
    JsonStrings.append(out, client.authority() + request.getContextPath() + prefix + "/v1");
    out.append(",\"protocol\":\"").append(client.scheme()).append("\"}}")
        .append(",\"metrics\":{\"sampleRate\":0},\"middlewareSettings\":{},\"enabledMiddleware\":{},")
        .append("\"legacyVideoPluginsEnabled\":false,\"remotePlugins\":[]}");
    response.setHeader("Cache-Control", "private, max-age=300");
    answer(response, 200, out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void preflight(HttpServletResponse response, String origin, Access access) {
    if (origin == null || access == Access.REFUSED) {
      refuse(response, 403, "origin", "preflight refused: this origin may not post events here");
      return;
    }
    response.setHeader("Access-Control-Allow-Methods", "POST");
    response.setHeader("Access-Control-Allow-Headers", PREFLIGHT_HEADERS);
    response.setHeader("Access-Control-Max-Age", "600");
    response.setHeader("Cache-Control", "no-store");
    response.setStatus(HttpServletResponse.SC_NO_CONTENT);
  }

  /** How a request's {@code Origin} stands: none or this host, listed, or refused. */
  private enum Access { SAME, LISTED, REFUSED }

  private Access access(String originHeader, ClientRequest client) {
    if (originHeader == null) {
      return Access.SAME; // not a cross-origin browser request: browsers send Origin with every POST and CORS fetch
    }
    String origin = Origin.normalize(originHeader);
    if (origin == null) {
      return Access.REFUSED; // "null" (sandboxed frames, file: pages) or garbage
    }
    if (allowOrigins.contains(origin)) {
      return Access.LISTED;
    }
    // Same host and port: the scheme is not compared, so a TLS-terminating proxy that is not trusted
    // (the request looks like http) does not turn the site's own pages away.
    return Origin.authority(origin).equals(client.authority()) ? Access.SAME : Access.REFUSED;
  }

  // ---------------------------------------------------------------- answers

  private void refuse(HttpServletResponse response, int status, String reason, String message) {
    metrics.collectRefused(reason);
    if (response.isCommitted()) {
      return;
    }
    StringBuilder out = new StringBuilder(96).append("{\"success\":false,\"error\":");
    JsonStrings.append(out, message);
    try {
      answer(response, status, out.append('}').toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      // nobody to tell: the client is gone
    }
  }

  private static void answer(HttpServletResponse response, int status, byte[] body) throws IOException {
    response.setStatus(status);
    response.setContentType(JSON);
    if (response.getHeader("Cache-Control") == null) {
      response.setHeader("Cache-Control", "no-store");
    }
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    OutputStream out = response.getOutputStream();
    out.write(body);
    out.flush();
  }

  /** A method name fit to echo: a token of at most 20 characters, else "this". */
  private static String safe(String method) {
    return method.length() <= 20 && method.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\')
        ? method : "this";
  }

  private static int utf8Length(String text) {
    int length = text.length();
    if (length > MAX_EVENT_BYTES) {
      return length; // at least this many bytes: over the limit whatever the characters
    }
    int bytes = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
