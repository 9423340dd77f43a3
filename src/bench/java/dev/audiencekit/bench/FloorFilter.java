package dev.audiencekit.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The floor of the filter-overhead benchmark: only the irreducible job of an identity filter, hand-written.
 * It reads the {@code Cookie} header, mints a UUID when there is no {@code ajs_anonymous_id}, adds the two
 * identity {@code Set-Cookie} headers before the chain runs, and, for a track event (the request attribute
 * {@link #TRACK} set to a function by the servlet), builds one small JSON string on the request thread and
 * hands it to a queue that another thread drains. No wrapper, no store, no configuration.
 */
public final class FloorFilter implements Filter {
  /** Request attribute: the floor's track call, for the servlet. */
  public static final String TRACK = FloorFilter.class.getName() + ".track";
  private static final String NAME = "ajs_anonymous_id=";

  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
  private final Thread drainer;

  public FloorFilter() {
    drainer = new Thread(() -> {
      long drained = 0;
      try {
        while (true) {
          drained += queue.take().length();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (drained == 42) {
        System.out.print(""); // keep the loop's work observable
      }
    }, "floor-drainer");
    drainer.setDaemon(true);
    drainer.start();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String id = anonymousId(request.getHeader("Cookie"));
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
    response.addHeader("Set-Cookie", NAME + id + "; Path=/; Max-Age=31536000; SameSite=Lax");
    response.addHeader("Set-Cookie", "ak_anonymous_id=" + id + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
    String anonymousId = id;
    request.setAttribute(TRACK, (Runnable) () -> {
      String json = "{\"type\":\"track\",\"event\":\"Bench Event\",\"anonymousId\":\"" + anonymousId
          + "\",\"messageId\":\"" + UUID.randomUUID() + "\",\"timestamp\":\"" + java.time.Instant.now() + "\"}";
      queue.offer(json);
    });
    chain.doFilter(request, response);
  }

  private static String anonymousId(String header) {
    if (header == null) {
      return null;
    }
    int at = header.indexOf(NAME);
    while (at > 0 && header.charAt(at - 1) != ' ' && header.charAt(at - 1) != ';') {
      at = header.indexOf(NAME, at + 1);
    }
    if (at < 0) {
      return null;
    }
    int start = at + NAME.length();
    int end = header.indexOf(';', start);
    return header.substring(start, end < 0 ? header.length() : end).trim();
  }

  @Override
  public void destroy() {
    drainer.interrupt();
  }
}
