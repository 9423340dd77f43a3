package dev.audiencekit.privacy;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A request that has headers and nothing else. */
final class FakeRequest {
  private FakeRequest() {}

  /** Pairs of header name and value; a name may repeat. */
  static HttpServletRequest withHeaders(String... nameValues) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < nameValues.length; i += 2) {
      headers.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
    }
    return (HttpServletRequest) Proxy.newProxyInstance(FakeRequest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getHeader" -> {
              List<String> v = headers.get((String) args[0]);
              return v == null ? null : v.get(0);
            }
            case "getHeaders" -> {
              List<String> v = headers.get((String) args[0]);
              return Collections.enumeration(v == null ? List.of() : v);
            }
            case "getHeaderNames" -> {
              return Collections.enumeration(headers.keySet());
            }
            case "toString" -> {
              return "FakeRequest" + headers;
            }
            default -> throw new UnsupportedOperationException(method.getName().toLowerCase(Locale.ROOT));
          }
        });
  }
}
