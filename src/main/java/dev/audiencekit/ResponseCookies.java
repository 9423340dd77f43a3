package dev.audiencekit;

import dev.audiencekit.consent.ConsentState;
import dev.audiencekit.http.OnCommitResponseWrapper;
import dev.audiencekit.http.OwnedSetCookies;
import dev.audiencekit.identity.CookieWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Keeps the cookies of one response in step with its request: the identity cookies and the consent
 * cookies.
 *
 * <p>The cookies as resolved are written before the application runs, on the container's own response:
 * whatever path finishes the response (a forward the container completes through its own objects, an
 * error page, an async completion), they are on it. When the identity or the consent changes during
 * the request, the response wrapper's triggers (just before commit, and before each body write)
 * replace those headers while the response takes them; after that, what the browser holds is known
 * through {@link #written()}, and the change is kept for its next request. A {@code reset()} by the
 * application puts the headers back.
 *
 * <p>Not thread-safe, like the response.
 */
final class ResponseCookies implements OnCommitResponseWrapper.Listener {
  private final AnalyticsContext context;
  private final Engine.RequestScope scope;
  private final HttpServletResponse response;
  private final CookieWriter writer;
  private final Engine engine;
  private final OwnedSetCookies owned;
  private final Predicate<String> held;
  /** The identity the browser holds after this response; null when no identity cookies are written. */
  private CookieWriter.Written written;
  /** What the headers on the response were made from; null before the first write. */
  private State state;

  /** Everything the owned headers are made of. */
  private record State(CookieWriter.Written ids, boolean identity, boolean revoking, ConsentState consent) {}

  ResponseCookies(AnalyticsContext context, HttpServletResponse response, CookieWriter writer, Engine engine) {
    this.context = context;
    this.scope = context.scope();
    this.response = response;
    this.writer = writer;
    this.engine = engine;
    this.owned = new OwnedSetCookies(engine.ownedCookieNames());
    // A cookie gone from the identity needs a deletion when the browser sent it, and also when this
    // response set it earlier (so that every owned name set before is replaced, never dropped).
    this.held = name -> scope.cookies.raw(name) != null || owned.wrote(name);
  }

  /** Writes the cookies as resolved; called before the filter chain runs. */
  void writeResolved() {
    if (response.isCommitted()) {
      written = scope.writesCookies ? CookieWriter.Written.of(scope.cookies, scope.backup.deviceKey()) : null;
      return;
    }
    State now = current();
    List<String> headers = headersFor(now);
    if (!headers.isEmpty()) {
      owned.add(response, headers);
    }
    accept(now);
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
    if (state != null) {
      owned.restore(response);
    }
  }

  /** Replaces the cookies when the identity or the consent changed since they were written, if they still can be. */
  private void update() {
    if (state == null || response.isCommitted()) {
      return;
    }
    if (unchanged(state)) {
      return; // the common case, on every body write: no allocation
    }
    State now = current();
    if (owned.replace(response, headersFor(now))) {
      accept(now);
    }
    // Otherwise the container refused the headers for now (during an include): a later trigger tries
    // again, and if none can, the request's end keeps the change for the browser's next request.
  }

  private void accept(State now) {
    if (now.identity && (written == null || written.differsFrom(now.ids))) {
      engine.tooLargeForCookie(now.ids.tooLarge(scope.settingsCookieFormat()));
    }
    state = now;
    written = now.identity ? now.ids : null;
  }

  /** Whether the request still stands where the headers on the response were made from. */
  private boolean unchanged(State before) {
    return before.identity == scope.writesCookies && before.revoking == (scope.revokedId != null)
        && before.consent == scope.consent
        && (!before.identity || (!before.ids.differsFrom(context.peekAnonymousId(), context.userId(), context.groupId())
            && java.util.Objects.equals(before.ids.deviceKey(), context.deviceKey())));
  }


  private State current() {
    CookieWriter.Written ids = new CookieWriter.Written(context.peekAnonymousId(), context.userId(), context.groupId(),
        context.deviceKey());
    return new State(ids, scope.writesCookies, scope.revokedId != null, scope.consent);
  }

  private List<String> headersFor(State s) {
    List<String> out = new ArrayList<>(6);
    if (s.identity) {
      out.addAll(writer.headers(scope.client, held, s.ids));
    } else if (s.revoking) {
      // consent withdrawn: every identity cookie the browser holds is deleted
      out.addAll(writer.headers(scope.client, held, new CookieWriter.Written(null, null, null, null)));
    }
    out.addAll(engine.consentCookies(scope));
    return out;
  }
}
