package dev.audiencekit;

import dev.audiencekit.http.OnCommitResponseWrapper;
import dev.audiencekit.http.OwnedSetCookies;
import dev.audiencekit.identity.CookieWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the identity cookies of one response in step with the identity of its request.
 *
 * <p>The cookies of the identity as resolved are written before the application runs, on the
 * container's own response: whatever path finishes the response (a forward the container completes
 * through its own objects, an error page, an async completion), they are on it. When the identity
 * changes during the request, the response wrapper's triggers (just before commit, and before each
 * body write) replace those headers while the response takes them; after that, what the
 * browser holds is known through {@link #written()}, and the change is kept for its next request.
 * A {@code reset()} by the application puts the headers back.
 *
 * <p>Not thread-safe, like the response.
 */
final class ResponseCookies implements OnCommitResponseWrapper.Listener {
  private final AnalyticsContext context;
  private final Engine.RequestScope scope;
  private final HttpServletResponse response;
  private final CookieWriter writer;
  private final OwnedSetCookies owned;
  private final Predicate<String> held;
  /** What the browser will hold after this response; null when no cookies are written. */
  private CookieWriter.Written written;

  ResponseCookies(AnalyticsContext context, HttpServletResponse response, CookieWriter writer) {
    this.context = context;
    this.scope = context.scope();
    this.response = response;
    this.writer = writer;
    this.owned = new OwnedSetCookies(writer.names());
    // A cookie gone from the identity needs a deletion when the browser sent it, and also when this
    // response set it earlier (so that every owned name set before is replaced, never dropped).
    this.held = name -> scope.cookies.raw(name) != null || owned.wrote(name);
  }

  /** Writes the cookies of the identity as resolved; called before the filter chain runs. */
  void writeResolved() {
    if (!scope.writesCookies) {
      return;
    }
    if (response.isCommitted()) {
      written = CookieWriter.Written.of(scope.cookies);
      return;
    }
    CookieWriter.Written now = current();
    owned.add(response, headersFor(now));
    written = now;
  }

  /** What the browser holds after this response (or before it, when nothing could be written). */
  CookieWriter.Written written() {
    return written;
  }

  @Override
  public void beforeCommit() {
    update();
  }

  @Override
  public void beforeBody() {
    update();
  }

  @Override
  public void afterReset() {
    if (written != null) {
      owned.restore(response);
    }
  }

  /** Replaces the cookies when the identity changed since they were written, if they still can be. */
  private void update() {
    if (written == null
        || !written.differsFrom(context.peekAnonymousId(), context.userId(), context.groupId())
        || response.isCommitted()) {
      return;
    }
    CookieWriter.Written now = current();
    if (owned.replace(response, headersFor(now))) {
      written = now;
    }
    // Otherwise the container refused the headers for now (during an include): a later trigger tries
    // again, and if none can, the request's end keeps the change for the browser's next request.
  }

  private CookieWriter.Written current() {
    return new CookieWriter.Written(context.peekAnonymousId(), context.userId(), context.groupId());
  }

  private List<String> headersFor(CookieWriter.Written ids) {
    return writer.headers(scope.client, held, ids.anonymousId(), ids.userId(), ids.groupId());
  }
}
