package dev.audiencekit.tags;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The analytics.js loader that {@code <analytics:snippet>} writes into a page: a queueing stub for
 * {@code window.analytics}, the script element that loads the library, cookie-first storage, and the
 * calls that make the browser library's identity equal to the server's before it sends anything.
 *
 * <p>How the identity is handed over, in the order analytics.js (analytics-next) replays the queue:
 * <ol>
 *   <li>{@code setAnonymousId(id)} is replayed first of all, right after the library is constructed
 *       and before its destinations load;</li>
 *   <li>an {@code initialize} listener (listeners are registered before initialisation, and
 *       {@code initialize} is emitted before any queued event is replayed) sets the userId, clearing
 *       it from every store when the server has none, so a stale id left in localStorage after a
 *       logout never comes back; then sets the anonymousId again (changing the userId makes
 *       analytics.js drop its anonymousId) and the groupId;</li>
 *   <li>{@code page()}, only when asked for.</li>
 * </ol>
 *
 * <p>When the server knows the visitor's consent, a source middleware (replayed before the first event
 * is sent) puts the same {@code context.consent.categoryPreferences} into every browser event, so
 * destinations enforce the same choice whichever side sent the event. The preferences are those of the
 * request that rendered the page: a banner that changes them in the page takes effect on the next page.
 *
 * <p>For a context that is not tracked the tag renders nothing at all, so that the browser library
 * never starts and never mints an id of its own; that decision is the tag's, not this class's.
 *
 * <p>An immutable, validated value; {@link #render} is a pure function of it and the identity.
 */
public final class Snippet {
  /** Where analytics.js and its project settings come from unless {@code cdnHost} says otherwise. */
  public static final String DEFAULT_CDN = "https://cdn.segment.com";
  /**
   * The write key a page uses when it needs none: the first-party collection endpoint answers the
   * settings of any key, and the server adds its own key when it delivers.
   */
  public static final String FIRST_PARTY_WRITE_KEY = "first-party";
  /** The storage order that makes the cookies (which the server reads and writes) authoritative. */
  static final String STORAGE = "{stores: [\"cookie\", \"localStorage\", \"memory\"]}";

  private final String writeKey;
  private final String src;
  private final String cdnHost;
  private final String apiHost;
  private final boolean page;
  /** The collection endpoint's path from the host ({@code /shop/ak}), or null when collection is off. */
  private final String collectPath;
  /** Whether the endpoint serves analytics.js itself. */
  private final boolean collectBundle;

  /**
   * The ids the browser library must adopt; {@code userId} and {@code groupId} may be null.
   * {@code categoryPreferences} is the visitor's consent (category → granted) that browser events must
   * carry, or null when consent is not configured.
   */
  public record Identity(String anonymousId, String userId, String groupId, Map<String, Boolean> categoryPreferences) {
    public Identity {
      if (anonymousId == null) {
        throw new IllegalArgumentException("anonymousId is required");
      }
      if (categoryPreferences != null) {
        for (Map.Entry<String, Boolean> entry : categoryPreferences.entrySet()) {
          if (entry.getKey() == null || entry.getValue() == null) {
            throw new IllegalArgumentException("categoryPreferences must not hold null names or values");
          }
        }
        categoryPreferences = Collections.unmodifiableMap(new LinkedHashMap<>(categoryPreferences));
      }
    }

    /** An identity without consent (consent not configured). */
    public Identity(String anonymousId, String userId, String groupId) {
      this(anonymousId, userId, groupId, null);
    }
  }

  /**
   * @param writeKey the source write key (required)
   * @param src URL of analytics.js; null for {@code <cdnHost>/analytics.js/v1/<writeKey>/analytics.min.js}
   * @param cdnHost a URL with scheme from which analytics.js loads its settings and lazy bundles; null
   *     for analytics.js's own choice (the Segment CDN)
   * @param apiHost where analytics.js sends events, in its own form {@code host[:port]/path} without
   *     scheme; spoken over the page's scheme. Null for the host in the project settings
   * @param page whether the loader also sends a page event
   * @throws IllegalArgumentException naming the attribute when a value is malformed
   */
  public Snippet(String writeKey, String src, String cdnHost, String apiHost, boolean page) {
    this.writeKey = requireWriteKey(writeKey);
    this.cdnHost = cdnHost(blankToNull(cdnHost));
    this.src = src(blankToNull(src));
    this.apiHost = apiHost(blankToNull(apiHost));
    this.page = page;
    this.collectPath = null;
    this.collectBundle = false;
  }

  private Snippet(Snippet base, String collectPath, boolean collectBundle) {
    this.writeKey = base.writeKey;
    this.cdnHost = base.cdnHost;
    this.src = base.src;
    this.apiHost = base.apiHost;
    this.page = base.page;
    this.collectPath = collectPath;
    this.collectBundle = collectBundle;
  }

  /**
   * The same loader for a page whose application collects first-party: unless given explicitly,
   * analytics.js sends to the endpoint ({@code apiHost}), loads its settings from it ({@code cdnHost}),
   * and, when the endpoint serves the bundle, is loaded from it ({@code src}). The host is the page's own,
   * read in the browser, and so is the scheme.
   *
   * @param path   the endpoint's path from the host: the context path and the {@code collect} prefix
   * @param bundle whether the endpoint serves analytics.js ({@code collect.bundle})
   * @throws IllegalArgumentException when the path is not an absolute path without spaces or quotes
   */
  public Snippet collectingAt(String path, boolean bundle) {
    if (path == null || !path.startsWith("/") || path.endsWith("/")
        || path.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\\' || c == '<' || c == '>')) {
      throw new IllegalArgumentException("collect path '" + path + "' is not an absolute path such as /ak");
    }
    return new Snippet(this, path, bundle);
  }

  public String writeKey() {
    return writeKey;
  }

  /** The URL the loader fetches analytics.js from (the default when {@code src} was not given). */
  public String src() {
    if (src != null) {
      return src;
    }
    if (collectPath != null && collectBundle) {
      return collectPath + "/analytics.js";
    }
    return (cdnHost != null ? cdnHost : DEFAULT_CDN) + "/analytics.js/v1/"
        + URLEncoder.encode(writeKey, StandardCharsets.UTF_8).replace("+", "%20") + "/analytics.min.js";
  }

  /** The {@code <script>} element for {@code identity}. Every value is escaped for its JavaScript string. */
  public String render(Identity identity) {
    String anonymousId = Escaping.jsLiteral(identity.anonymousId());
    String key = Escaping.jsLiteral(writeKey);
    StringBuilder js = new StringBuilder(2048);
    js.append("<script>\n")
        .append("(function (w, d) {\n")
        .append("  var a = w.analytics = w.analytics || [];\n")
        .append("  if (a.initialize || a.invoked) { return; }\n")
        .append("  a.invoked = true;\n")
        .append("  a.methods = [\"track\", \"page\", \"identify\", \"group\", \"alias\", \"reset\", \"ready\", ")
        .append("\"on\", \"off\", \"once\",\n")
        .append("    \"setAnonymousId\", \"addSourceMiddleware\", \"addDestinationMiddleware\", ")
        .append("\"addIntegrationMiddleware\", \"register\",\n")
        .append("    \"debug\", \"screen\", \"pageview\", \"trackClick\", \"trackLink\", \"trackForm\", ")
        .append("\"trackSubmit\"];\n")
        .append("  a.factory = function (method) {\n")
        .append("    return function () {\n")
        .append("      if (w.analytics.initialized) { return w.analytics[method].apply(w.analytics, arguments); }\n")
        .append("      a.push([method].concat(Array.prototype.slice.call(arguments)));\n")
        .append("      return a;\n")
        .append("    };\n")
        .append("  };\n")
        .append("  a.methods.forEach(function (method) { a[method] = a.factory(method); });\n")
        .append("  a.load = function (key, options) {\n")
        .append("    var s = d.createElement(\"script\");\n")
        .append("    s.async = true;\n")
        .append("    s.src = ").append(Escaping.jsLiteral(src())).append(";\n")
        .append("    var first = d.getElementsByTagName(\"script\")[0];\n")
        .append("    first.parentNode.insertBefore(s, first);\n")
        .append("    a._loadOptions = options;\n")
        .append("  };\n")
        .append("  a._writeKey = ").append(key).append(";\n");
    if (cdnHost != null) {
      js.append("  a._cdn = ").append(Escaping.jsLiteral(cdnHost)).append(";\n");
    } else if (collectPath != null) {
      js.append("  a._cdn = d.location.protocol + \"//\" + d.location.host + ").append(Escaping.jsLiteral(collectPath))
          .append(";\n");
    }
    js.append("  a.setAnonymousId(").append(anonymousId).append(");\n");
    if (identity.categoryPreferences() != null) {
      appendConsent(js, identity.categoryPreferences());
    }
    js.append("  a.on(\"initialize\", function () {\n")
        .append("    var user = this.user(), group = this.group();\n")
        .append("    var userId = ").append(Escaping.jsLiteral(identity.userId())).append(";\n")
        .append("    var groupId = ").append(Escaping.jsLiteral(identity.groupId())).append(";\n")
        .append("    if (userId === null && user.id() !== null) { user.traits({}); }\n")
        .append("    user.id(userId);\n")
        .append("    user.anonymousId(").append(anonymousId).append(");\n")
        .append("    if (groupId === null && group.id() !== null) { group.traits({}); }\n")
        .append("    group.id(groupId);\n")
        .append("  });\n")
        .append("  a.load(").append(key).append(", {\n")
        .append("    storage: ").append(STORAGE);
    if (apiHost != null || collectPath != null) {
      String host = apiHost != null ? Escaping.jsLiteral(apiHost)
          : "d.location.host + " + Escaping.jsLiteral(collectPath + "/v1");
      js.append(",\n")
          .append("    integrations: {\"Segment.io\": {apiHost: ").append(host)
          .append(", protocol: d.location.protocol === \"https:\" ? \"https\" : \"http\"}}");
    }
    js.append("\n  });\n");
    if (page) {
      js.append("  a.page();\n");
    }
    js.append("})(window, document);\n")
        .append("</script>");
    return js.toString();
  }

  /**
   * A source middleware that sets {@code context.consent} of every event to a fresh copy of the
   * server's preferences (analytics-next hands it {@code {payload, next}}; {@code payload.obj} is the
   * event). Names are escaped as JavaScript strings, values are the literals {@code true}/{@code false}.
   */
  private static void appendConsent(StringBuilder js, Map<String, Boolean> categoryPreferences) {
    js.append("  a.addSourceMiddleware(function (m) {\n")
        .append("    var e = m.payload.obj;\n")
        .append("    e.context = e.context || {};\n")
        .append("    e.context.consent = {categoryPreferences: {");
    boolean first = true;
    for (Map.Entry<String, Boolean> entry : categoryPreferences.entrySet()) {
      js.append(first ? "" : ", ").append(Escaping.jsLiteral(entry.getKey())).append(": ")
          .append(entry.getValue().booleanValue());
      first = false;
    }
    js.append("}};\n")
        .append("    m.next(m.payload);\n")
        .append("  });\n");
  }

  private static String requireWriteKey(String writeKey) {
    if (writeKey == null || writeKey.isBlank()) {
      throw new IllegalArgumentException("writeKey is required");
    }
    if (writeKey.length() > 256 || writeKey.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("writeKey must be 1 to 256 characters without control characters");
    }
    return writeKey;
  }

  private static String cdnHost(String cdnHost) {
    if (cdnHost == null) {
      return null;
    }
    if (!isHttpUrl(cdnHost)) {
      throw new IllegalArgumentException("cdnHost '" + cdnHost
          + "' is not an http:// or https:// URL (e.g. https://cdn.segment.com)");
    }
    return cdnHost.endsWith("/") ? cdnHost.substring(0, cdnHost.length() - 1) : cdnHost;
  }

  private static String src(String src) {
    if (src == null) {
      return null;
    }
    boolean schemeLess = src.startsWith("/") || !src.contains(":");
    if (!schemeLess && !isHttpUrl(src) || src.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("src '" + src
          + "' is not an http(s) URL, a protocol-relative URL or a path without spaces");
    }
    return src;
  }

  private static String apiHost(String apiHost) {
    if (apiHost == null) {
      return null;
    }
    if (apiHost.contains("://") || apiHost.startsWith("/") || apiHost.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException("apiHost '" + apiHost
          + "' is not in analytics.js's form host[:port]/path without scheme (e.g. api.segment.io/v1)");
    }
    return apiHost.endsWith("/") ? apiHost.substring(0, apiHost.length() - 1) : apiHost;
  }

  private static boolean isHttpUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    return (lower.startsWith("http://") || lower.startsWith("https://")) && url.length() > lower.indexOf("//") + 2
        && url.chars().noneMatch(c -> c <= ' ');
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
