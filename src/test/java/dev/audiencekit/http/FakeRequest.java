package dev.audiencekit.http;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A minimal {@link HttpServletRequest} for unit tests: remote address, headers, scheme, server, URI. */
final class FakeRequest {
  private String remoteAddr = "203.0.113.9";
  private boolean secure;
  private String serverName = "server.internal";
  private int serverPort = 8080;
  private String requestUri = "/";
  private String queryString;
  private final Map<String, List<String>> headers = new LinkedHashMap<>();

  static FakeRequest from(String remoteAddr) {
    FakeRequest r = new FakeRequest();
    r.remoteAddr = remoteAddr;
    return r;
  }

  FakeRequest header(String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    return this;
  }

  FakeRequest secure(boolean secure) {
    this.secure = secure;
    return this;
  }

  FakeRequest server(String name, int port) {
    this.serverName = name;
    this.serverPort = port;
    return this;
  }

  FakeRequest uri(String uri, String query) {
    this.requestUri = uri;
    this.queryString = query;
    return this;
  }

  HttpServletRequest build() {
    return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getRemoteAddr": return remoteAddr;
            case "isSecure": return secure;
            case "getScheme": return secure ? "https" : "http";
            case "getServerName": return serverName;
            case "getServerPort": return serverPort;
            case "getRequestURI": return requestUri;
            case "getQueryString": return queryString;
            case "getHeader": {
              List<String> values = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
              return values == null ? null : values.get(0);
            }
            case "getHeaders": {
              List<String> values = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
              return Collections.enumeration(values == null ? List.of() : values);
            }
            case "toString": return "FakeRequest";
            default: throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}
