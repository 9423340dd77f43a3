package dev.audiencekit;

import dev.audiencekit.collect.CollectEndpoint;
import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Settings;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.http.OnCommitResponseWrapper;
import dev.audiencekit.http.PathPatterns;
import dev.audiencekit.metrics.JmxRegistration;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.privacy.BotDetector;
import dev.audiencekit.privacy.Fingerprinter;
import dev.audiencekit.store.Mirror;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;

/**
 * Gives every request an analytics.js identity: resolves the {@code anonymousId} (cookie, HttpOnly
 * backup cookie, server-side mirror, or a new UUID), exposes an {@link AnalyticsContext} as the request
 * attribute {@code analytics}, refreshes the cookies (written before the application runs, replaced
 * while the response can still take them when the identity changes), and delivers the events the
 * request sends to a Segment-compatible collector.
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>analytics</filter-name>
 *   <filter-class>dev.audiencekit.AnalyticsFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>writeKey</param-name><param-value>YOUR_WRITE_KEY</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>analytics</filter-name>
 *   <url-pattern>/*</url-pattern>
 *   <dispatcher>REQUEST</dispatcher>
 * </filter-mapping>
 * }</pre>
 *
 * <p>A first visit and a return visit on {@code https://www.example.com}:
 *
 * <pre>
 * GET / HTTP/1.1
 *
 * HTTP/1.1 200 OK
 * Set-Cookie: ajs_anonymous_id=3f0c0d4e-8a55-4d5e-9a8f-0a2b8c4f6e01; Path=/; Max-Age=31536000; Expires=Thu, 02 Dec 2027 10:00:00 GMT; Domain=example.com; SameSite=Lax; Secure
 * Set-Cookie: ak_anonymous_id=3f0c0d4e-8a55-4d5e-9a8f-0a2b8c4f6e01; Path=/; Max-Age=34560000; Expires=Sun, 06 Jan 2028 10:00:00 GMT; Domain=example.com; SameSite=Lax; Secure; HttpOnly
 *
 * GET /cart HTTP/1.1
 * Cookie: ajs_anonymous_id=3f0c0d4e-8a55-4d5e-9a8f-0a2b8c4f6e01; ak_anonymous_id=3f0c0d4e-8a55-4d5e-9a8f-0a2b8c4f6e01
 * </pre>
 *
 * <p>Every setting is an init-param (see the README's table), overridable by the system property
 * {@code audiencekit.<name>} or the environment variable {@code AUDIENCEKIT_<NAME>}. A setting that
 * cannot be used fails {@link #init} with a message naming it.
 */
public class AnalyticsFilter implements Filter {
  private static final System.Logger LOG = System.getLogger(AnalyticsFilter.class.getName());
  /** Marks a request the filter has already processed (forward, include, error and async dispatches). */
  private static final String SEEN = AnalyticsFilter.class.getName() + ".SEEN";
  /**
   * Servlet context attribute holding a {@link Clock} for every time-based rule (cookie expiry, store TTL,
   * dormancy, coalescing, throttles, event timestamps); read once in {@link #init}. For tests and
   * simulations of months of visits; the system clock when absent.
   */
  public static final String CLOCK_ATTRIBUTE = "dev.audiencekit.Clock";
  /** Servlet context attribute under which the last initialised filter's {@link Delivery} is published. */
  public static final String DELIVERY_ATTRIBUTE = Delivery.class.getName();
  /** Servlet context attribute under which the last initialised filter's {@link Metrics} are published. */
  public static final String METRICS_ATTRIBUTE = Metrics.class.getName();

  private volatile Engine engine;
  private PathPatterns exclude;
  private CollectEndpoint collect; // first-party collection: null unless the collect init-param is set
  private AutoCloseable jmx;

  @Override
  public void init(FilterConfig config) throws ServletException {
    Settings settings;
    try {
      settings = Settings.parse(Collections.list(config.getInitParameterNames()), config::getInitParameter,
          System::getProperty, System::getenv);
    } catch (InvalidSettingException e) {
      throw new ServletException("audiencekit filter '" + config.getFilterName() + "': " + e.getMessage(), e);
    }
    ServletContext servletContext = config.getServletContext();
    Clock clock = clock(servletContext);
    Metrics metrics = new Metrics();
    Mirror mirror = null;
    Delivery delivery = null;
    try {
      mirror = Mirror.open(settings, metrics, clock);
      delivery = Delivery.start(settings, metrics, tempDir(servletContext), config.getFilterName());
      engine = new Engine(settings, metrics, clock, mirror, delivery, new Fingerprinter(settings),
          new BotDetector(settings.botsPatterns()), version());
      exclude = PathPatterns.of(settings.exclude());
      collect = CollectEndpoint.create(settings, metrics, clock, servletContext.getClassLoader());
      jmx = JmxRegistration.register(metrics, servletContext.getContextPath(), config.getFilterName());
    } catch (InvalidSettingException e) {
      closeQuietly(delivery);
      closeQuietly(mirror);
      throw new ServletException("audiencekit filter '" + config.getFilterName() + "': " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(delivery);
      closeQuietly(mirror);
      throw new ServletException("audiencekit filter '" + config.getFilterName() + "' could not start: " + e, e);
    }
    servletContext.setAttribute(DELIVERY_ATTRIBUTE, delivery);
    servletContext.setAttribute(METRICS_ATTRIBUTE, metrics);
    if (collect != null) {
      servletContext.setAttribute(CollectEndpoint.ATTRIBUTE, collect); // for <analytics:snippet>
    }
    LOG.log(System.Logger.Level.INFO, "audiencekit " + version() + " filter '" + config.getFilterName()
        + "' started: " + settings.summary());
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Engine current = engine;
    if (current == null || !(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || request.getAttribute(SEEN) != null
        || exclude.matches(request) && (collect == null || !collect.matches(request))) {
      chain.doFilter(req, res);
      return;
    }
    request.setAttribute(SEEN, Boolean.TRUE);
    AnalyticsContext context = current.open(request);
    ResponseCookies cookies = current.cookies(context, response);
    cookies.writeResolved();
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(response, cookies);
    request.setAttribute(AnalyticsContext.ATTRIBUTE, context);
    boolean async = false;
    try {
      if (collect != null && collect.matches(request)) { // first-party collection: never reaches the application
        collect.handle(request, wrapped, new CollectVisitor(current, context));
      } else {
        chain.doFilter(request, wrapped);
        async = request.isAsyncStarted();
      }
    } finally {
      if (async) {
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override public void onComplete(AsyncEvent event) { finish(current, context, wrapped, cookies); }
          @Override public void onTimeout(AsyncEvent event) { }
          @Override public void onError(AsyncEvent event) { }
          @Override public void onStartAsync(AsyncEvent event) { event.getAsyncContext().addListener(this); }
        });
      } else {
        finish(current, context, wrapped, cookies);
      }
    }
  }

  private static void finish(Engine engine, AnalyticsContext context, OnCommitResponseWrapper wrapped,
      ResponseCookies cookies) {
    try {
      wrapped.onChainEnd();
    } finally {
      engine.complete(context, context.scope(), cookies.written());
    }
  }

  @Override
  public void destroy() {
    Engine current = engine;
    engine = null;
    if (current != null) {
      closeQuietly(jmx);
      current.close();
      LOG.log(System.Logger.Level.INFO, "audiencekit filter stopped");
    }
  }

  /**
   * Registers the filter programmatically (from a {@code ServletContainerInitializer} or a
   * {@code ServletContextListener}) for {@code /*} on {@code REQUEST} dispatches, named
   * {@code analytics}.
   *
   * @param initParams the init-params, as in web.xml
   * @return the registration, e.g. to add more mappings
   */
  public static FilterRegistration.Dynamic register(ServletContext servletContext, Map<String, String> initParams) {
    FilterRegistration.Dynamic registration = servletContext.addFilter("analytics", AnalyticsFilter.class);
    if (registration == null) {
      throw new IllegalStateException("a filter named 'analytics' is already registered in this web application");
    }
    registration.setInitParameters(initParams);
    registration.setAsyncSupported(true);
    registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    return registration;
  }

  private static Clock clock(ServletContext context) throws ServletException {
    Object clock = context.getAttribute(CLOCK_ATTRIBUTE);
    if (clock == null) {
      return Clock.systemUTC();
    }
    if (clock instanceof Clock c) {
      return c;
    }
    throw new ServletException("audiencekit: the servlet context attribute " + CLOCK_ATTRIBUTE
        + " holds a " + clock.getClass().getName() + "; it must be a java.time.Clock");
  }

  private static Path tempDir(ServletContext context) {
    Object dir = context.getAttribute(ServletContext.TEMPDIR);
    if (dir instanceof File file) {
      return file.toPath();
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  static String version() {
    return Version.VALUE;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "audiencekit: error while closing " + closeable, e);
    }
  }
}
