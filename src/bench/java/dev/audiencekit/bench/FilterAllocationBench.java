package dev.audiencekit.bench;

import dev.audiencekit.AnalyticsContext;
import dev.audiencekit.AnalyticsFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time and allocation per request of {@link AnalyticsFilter#doFilter}, without a network or a
 * container: a lightweight fake request and response (fields and a reusable attribute map; no
 * reflection on the paths the filter uses), an empty chain. Run with {@code -prof gc} and read
 * {@code gc.alloc.rate.norm} (bytes per operation). {@code returningVisitor} is the goal's path (a
 * visitor whose {@code ajs_anonymous_id} and backup cookies agree); {@code newVisitor} sends no
 * cookie and a new User-Agent per call; {@code trackEvent} is the returning visitor plus one
 * {@code track} call in the "servlet".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterAllocationBench {
  private static final String ANON = "5b1e0c1c-9a8e-4c55-8f5e-2d0a3f6b7c11";
  /** Both identity cookies, the backup one as the library writes it: {@code <device key>.<id>}. */
  static final String RETURNING_COOKIE = "ajs_anonymous_id=" + ANON + "; ak_anonymous_id=q3Zp9Xr2Lk8Vb1Nc4Md7Fg."
      + ANON + "; _ga=GA1.1.123456789.1700000000; session=abcdef0123456789";
  static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/126.0.0.0 Safari/537.36";

  private AnalyticsFilter filter;
  private FakeRequest returning;
  private FakeRequest fresh;
  private FakeResponse response;
  private final String[] agents = new String[1024];
  private int next;
  private final FilterChain nothing = (req, res) -> { };
  private final FilterChain track = (req, res) -> AnalyticsContext.get(req).track("Bench Event");

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Map<String, String> params = new HashMap<>();
    params.put("sink", "none");
    params.put("spool.dir", Files.createTempDirectory("ak-bench-spool").toString());
    filter = new AnalyticsFilter();
    filter.init(config(params));
    returning = new FakeRequest(RETURNING_COOKIE, UA);
    fresh = new FakeRequest(null, UA);
    response = new FakeResponse();
    for (int i = 0; i < agents.length; i++) {
      agents[i] = UA + " Device/" + i + "." + System.nanoTime();
    }
    // One call of each kind, then report which methods fell through to the reflective fallback.
    newVisitor();
    trackEvent();
    returningVisitor();
    if (!UNHANDLED.isEmpty()) {
      System.out.println("fake request/response: methods not overridden (reflective, allocating): " + UNHANDLED);
    }
    System.out.println("returning visitor's response headers: " + response.headers);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    filter.destroy();
  }

  @Benchmark
  public Object returningVisitor() throws Exception {
    returning.reset();
    response.reset();
    filter.doFilter(returning, response, nothing);
    return response.headers;
  }

  @Benchmark
  public Object trackEvent() throws Exception {
    returning.reset();
    response.reset();
    filter.doFilter(returning, response, track);
    return response.headers;
  }

  @Benchmark
  public Object newVisitor() throws Exception {
    fresh.reset();
    fresh.userAgent = agents[next++ & (agents.length - 1)];
    response.reset();
    filter.doFilter(fresh, response, nothing);
    return response.headers;
  }

  // ------------------------------------------------------------------ fakes

  static final Set<String> UNHANDLED = Collections.synchronizedSet(new TreeSet<>());

  @SuppressWarnings("unchecked")
  static <T> T fallback(Class<T> type) {
    return (T) Proxy.newProxyInstance(FilterAllocationBench.class.getClassLoader(), new Class<?>[] {type},
        (proxy, method, args) -> {
          UNHANDLED.add(type.getSimpleName() + "." + method.getName());
          Class<?> r = method.getReturnType();
          if (r == boolean.class) {
            return false;
          }
          if (r == int.class) {
            return 0;
          }
          if (r == long.class) {
            return 0L;
          }
          return null;
        });
  }

  private static FilterConfig config(Map<String, String> params) {
    ServletContext context = fallback(ServletContext.class);
    return new FilterConfig() {
      @Override public String getFilterName() { return "analytics"; }
      @Override public ServletContext getServletContext() { return context; }
      @Override public String getInitParameter(String name) { return params.get(name); }
      @Override public Enumeration<String> getInitParameterNames() { return Collections.enumeration(params.keySet()); }
    };
  }

  /** One element, reusable: what a container hands out for a single header line. */
  static final class One implements Enumeration<String> {
    private String value;

    One of(String v) {
      value = v;
      return this;
    }

    @Override public boolean hasMoreElements() { return value != null; }

    @Override public String nextElement() {
      if (value == null) {
        throw new NoSuchElementException();
      }
      String v = value;
      value = null;
      return v;
    }
  }

  static final class FakeRequest extends HttpServletRequestWrapper {
    private final String cookie;
    String userAgent;
    private final Map<String, Object> attributes = new HashMap<>();
    private final One one = new One();

    FakeRequest(String cookie, String userAgent) {
      super(fallback(HttpServletRequest.class));
      this.cookie = cookie;
      this.userAgent = userAgent;
    }

    void reset() {
      attributes.clear();
    }

    @Override public Object getAttribute(String name) { return attributes.get(name); }
    @Override public void setAttribute(String name, Object o) { attributes.put(name, o); }
    @Override public void removeAttribute(String name) { attributes.remove(name); }
    @Override public String getRemoteAddr() { return "127.0.0.1"; }
    @Override public boolean isSecure() { return false; }
    @Override public String getScheme() { return "http"; }
    @Override public String getServerName() { return "www.example.com"; }
    @Override public int getServerPort() { return 80; }
    @Override public String getRequestURI() { return "/hello"; }
    @Override public String getContextPath() { return ""; }
    @Override public String getServletPath() { return "/hello"; }
    @Override public String getPathInfo() { return null; }
    @Override public String getQueryString() { return null; }
    @Override public String getMethod() { return "GET"; }
    @Override public boolean isAsyncStarted() { return false; }
    @Override public jakarta.servlet.DispatcherType getDispatcherType() { return jakarta.servlet.DispatcherType.REQUEST; }

    @Override
    public String getHeader(String name) {
      // equalsIgnoreCase, not toLowerCase: the fake itself must not allocate.
      if ("Cookie".equalsIgnoreCase(name)) {
        return cookie;
      }
      if ("User-Agent".equalsIgnoreCase(name)) {
        return userAgent;
      }
      if ("Accept-Language".equalsIgnoreCase(name)) {
        return "en-GB,en;q=0.9";
      }
      return "Host".equalsIgnoreCase(name) ? "www.example.com" : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String v = getHeader(name);
      return v == null ? Collections.emptyEnumeration() : one.of(v);
    }
  }

  static final class FakeResponse extends HttpServletResponseWrapper {
    final List<String> headers = new ArrayList<>(8);
    private boolean committed;

    FakeResponse() {
      super(fallback(HttpServletResponse.class));
    }

    /** Clears what the previous operation wrote (the fake's reset, also the servlet reset()). */
    @Override
    public void reset() {
      headers.clear();
      committed = false;
    }
    @Override public void addHeader(String name, String value) { headers.add(value); }
    @Override public void setHeader(String name, String value) { headers.add(value); }
    @Override public boolean isCommitted() { return committed; }
    @Override public int getBufferSize() { return 32 * 1024; }
    @Override public void flushBuffer() { committed = true; }
    @Override public String getHeader(String name) { return null; }
    @Override public boolean containsHeader(String name) { return false; }
    @Override public int getStatus() { return 200; }
    @Override public String getCharacterEncoding() { return "UTF-8"; }
  }
}
