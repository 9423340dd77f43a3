package dev.audiencekit.testing;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal {@link HttpServletRequest} for unit tests of small pieces: headers, remote address, URI,
 * query, scheme and attributes. Anything else throws {@link UnsupportedOperationException}.
 */
public final class FakeRequest {
  private final Map<String, List<String>> headers = new LinkedHashMap<>();
  private final Map<String, Object> attributes = new HashMap<>();
  private String remoteAddr = "127.0.0.1";
  private String uri = "/";
  private String query;
  private String scheme = "http";
  private String serverName = "localhost";
  private int serverPort = 8080;

  /** A request from {@code remoteAddr} to {@code server.internal:8080}. */
  public static FakeRequest from(String remoteAddr) {
    return new FakeRequest().remoteAddr(remoteAddr).server("server.internal", 8080);
  }

  /** A request that carries only these headers ({@code name, value, name, value, ...}). */
  public static HttpServletRequest withHeaders(String... nameValues) {
    FakeRequest request = new FakeRequest();
    for (int i = 0; i < nameValues.length; i += 2) {
      request.header(nameValues[i], nameValues[i + 1]);
    }
    return request.build();
  }

  public FakeRequest header(String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
  }

  public FakeRequest remoteAddr(String remoteAddr) {
    this.remoteAddr = remoteAddr;
    return this;
  }

  public FakeRequest uri(String uri) {
    this.uri = uri;
    return this;
  }

  public FakeRequest uri(String uri, String query) {
    this.uri = uri;
    this.query = query;
    return this;
  }

  /** Whether the connection to the server is secure (https). */
  public FakeRequest secure(boolean secure) {
    this.scheme = secure ? "https" : "http";
    return this;
  }

  public FakeRequest query(String query) {
    this.query = query;
    return this;
  }

  public FakeRequest secure(String serverName, int port) {
    this.scheme = "https";
    this.serverName = serverName;
    this.serverPort = port;
    return this;
  }

  public FakeRequest server(String serverName, int port) {
    this.serverName = serverName;
    this.serverPort = port;
    return this;
  }

  public HttpServletRequest build() {
    return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getHeader": {
              List<String> values = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
              return values == null ? null : values.get(0);
            }
            case "getHeaders": {
              List<String> values = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
              return Collections.enumeration(values == null ? List.of() : values);
            }
            case "getHeaderNames":
              return Collections.enumeration(headers.keySet());
            case "getRemoteAddr":
              return remoteAddr;
            case "getRequestURI":
              return uri;
            case "getRequestURL":
              return new StringBuffer(scheme + "://" + serverName + ":" + serverPort + uri);
            case "getQueryString":
              return query;
            case "getScheme":
              return scheme;
            case "isSecure":
              return scheme.equals("https");
            case "getServerName":
              return serverName;
            case "getServerPort":
              return serverPort;
            case "getContextPath":
            case "getPathInfo":
              return method.getName().equals("getContextPath") ? "" : null;
            case "getServletPath":
              return uri;
            case "getAttribute":
              return attributes.get((String) args[0]);
            case "setAttribute":
              attributes.put((String) args[0], args[1]);
              return null;
            case "removeAttribute":
              attributes.remove((String) args[0]);
              return null;
            case "toString":
              return "FakeRequest " + uri;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
