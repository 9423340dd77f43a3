package dev.audiencekit.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A browser stand-in over loopback HTTP: it keeps the cookies responses set (by name, as a browser
 * on one host would), sends them back, and lets a test lose or plant cookies like a real user's
 * browser does.
 */
public final class Browser {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  private static final java.util.concurrent.atomic.AtomicInteger DEVICES = new java.util.concurrent.atomic.AtomicInteger();
  private final URI base;
  private final Map<String, String> cookies;
  private final Map<String, String> headers;

  public Browser(URI base) {
    this.base = base;
    this.cookies = new LinkedHashMap<>();
    this.headers = new LinkedHashMap<>();
    // Each instance is a different device: its own User-Agent build number gives it its own fingerprint.
    headers.put("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/126.0." + DEVICES.incrementAndGet() + " Safari/537.36");
    headers.put("Accept-Language", "en-GB,en;q=0.9");
  }

  private Browser(URI base, Map<String, String> cookies, Map<String, String> headers) {
    this.base = base;
    this.cookies = cookies;
    this.headers = headers;
  }

  /**
   * The same browser (same cookie jar, same headers, so the same fingerprint) talking to another
   * server, as a load balancer in front of several nodes would send it: cookies on one host are not
   * scoped by port.
   */
  public Browser via(URI otherBase) {
    return new Browser(otherBase, cookies, headers);
  }

  /** One response, with the {@code Set-Cookie} headers it carried. */
  public record Response(int status, String body, List<String> setCookies, Map<String, List<String>> headers) {
    /** The {@code Set-Cookie} header for {@code name}, or null. */
    public String setCookie(String name) {
      for (String header : setCookies) {
        if (header.startsWith(name + "=")) {
          return header;
        }
      }
      return null;
    }

    public String header(String name) {
      for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** Sets a request header sent with every request (null removes it). */
  public Browser header(String name, String value) {
    if (value == null) {
      headers.remove(name);
    } else {
      headers.put(name, value);
    }
    return this;
  }

  public Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
  }

  public Response post(String path, Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  /**
   * Sends {@code method} to {@code path} with a text body (none when null) of {@code contentType}
   * (none when null), plus the browser's headers and cookies, as a script's {@code fetch} would.
   */
  public Response send(String method, String path, String contentType, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    return send(builder);
  }

  /** Like {@link #send(String, String, String, String)}, with a body of undeclared length (chunked). */
  public Response sendChunked(String method, String path, String contentType, String body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).method(method,
        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(body)));
    builder.header("Content-Type", contentType);
    return send(builder);
  }

  private Response send(HttpRequest.Builder builder) {
    builder.timeout(Duration.ofSeconds(30));
    headers.forEach(builder::header);
    if (!cookies.isEmpty()) {
      StringBuilder cookie = new StringBuilder();
      cookies.forEach((name, value) -> {
        if (cookie.length() > 0) {
          cookie.append("; ");
        }
        cookie.append(name).append('=').append(value);
      });
      builder.header("Cookie", cookie.toString());
    }
    try {
      HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      List<String> setCookies = response.headers().allValues("Set-Cookie");
      for (String header : setCookies) {
        store(header);
      }
      return new Response(response.statusCode(), response.body(), setCookies, response.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void store(String header) {
    String[] parts = header.split(";");
    int eq = parts[0].indexOf('=');
    String name = parts[0].substring(0, eq).trim();
    String value = parts[0].substring(eq + 1).trim();
    boolean delete = false;
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].trim().toLowerCase(Locale.ROOT);
      if (attribute.equals("max-age=0")) {
        delete = true;
      }
    }
    if (delete) {
      cookies.remove(name);
    } else {
      cookies.put(name, value);
    }
  }

  /** The raw value of a cookie the browser holds, or null. */
  public String cookie(String name) {
    return cookies.get(name);
  }

  public Map<String, String> cookies() {
    return new LinkedHashMap<>(cookies);
  }

  /** Plants a cookie (raw value, as it would appear in the Cookie header). */
  public Browser cookie(String name, String rawValue) {
    cookies.put(name, rawValue);
    return this;
  }

  /** Loses a cookie, as a script or a browser's storage purge would. */
  public Browser deleteCookie(String name) {
    cookies.remove(name);
    return this;
  }

  public Browser clearCookies() {
    cookies.clear();
    return this;
  }

  public List<String> cookieNames() {
    return new ArrayList<>(cookies.keySet());
  }
}
