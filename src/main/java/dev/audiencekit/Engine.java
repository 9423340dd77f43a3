package dev.audiencekit;

import dev.audiencekit.config.Settings;
import dev.audiencekit.cookie.CookieHeader;
import dev.audiencekit.cookie.CookieValue;
import dev.audiencekit.cookie.LegacyCookies;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.event.EventFactory;
import dev.audiencekit.event.RequestContext;
import dev.audiencekit.event.Uuids;
import dev.audiencekit.http.ClientRequest;
import dev.audiencekit.http.IpAddresses;
import dev.audiencekit.identity.Coalescer;
import dev.audiencekit.identity.CookieWriter;
import dev.audiencekit.identity.LateChanges;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.privacy.BotDetector;
import dev.audiencekit.privacy.Fingerprinter;
import dev.audiencekit.privacy.PrivacySignals;
import dev.audiencekit.store.IdentityRecord;
import dev.audiencekit.store.Mirror;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one filter instance runs on: its settings and the long-lived services (mirror, delivery,
 * fingerprinting, cookie writer), and the three steps of every request: {@link #open} resolves the
 * identity, {@link #cookies} keeps the response's cookies in step with it, {@link #complete}
 * tells the mirror what changed. Package-private: the public surface is the filter and the context.
 */
final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AnalyticsFilter.class.getName());

  final Settings settings;
  final Metrics metrics;
  private final Clock clock;
  private final Mirror mirror;
  private final Delivery delivery;
  private final Fingerprinter fingerprinter;
  private final BotDetector bots;
  private final CookieWriter cookieWriter;
  private final Coalescer coalescer;
  private final LateChanges lateChanges = new LateChanges();
  /** When each anonymousId's fingerprint link was last refreshed from this node. */
  private final Map<String, Long> linkedAt = new ConcurrentHashMap<>();
  static final long LINK_REFRESH_MS = 10 * 60_000;
  private static final int MAX_LINKED = 200_000;
  private final EventFactory events;

  Engine(Settings settings, Metrics metrics, Clock clock, Mirror mirror, Delivery delivery,
      Fingerprinter fingerprinter, BotDetector bots, String libraryVersion) {
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.mirror = mirror;
    this.delivery = delivery;
    this.fingerprinter = fingerprinter;
    this.bots = bots;
    this.cookieWriter = new CookieWriter(settings, clock);
    this.coalescer = new Coalescer(clock);
    this.events = new EventFactory(clock, libraryVersion);
  }

  EventFactory events() {
    return events;
  }

  /** Everything about one request that the context needs besides its identity. */
  final class RequestScope {
    final HttpServletRequest request;
    final ClientRequest client;
    final CookieHeader cookies;
    /** Whether the request asked not to be fingerprinted ({@code Sec-GPC}/{@code DNT} under {@code privacy.gpc}). */
    private final boolean optedOut;
    /** Whether the mirror may learn from this request ({@code persist} on, and tracked). */
    final boolean persistent;
    /** Whether cookies are written ({@code persist} on, and not a skipped crawler). */
    final boolean writesCookies;
    private RequestContext requestContext;
    private String hash;
    private boolean hashed;

    RequestScope(HttpServletRequest request, ClientRequest client, CookieHeader cookies, boolean optedOut,
        boolean persistent, boolean writesCookies) {
      this.request = request;
      this.client = client;
      this.cookies = cookies;
      this.optedOut = optedOut;
      this.persistent = persistent;
      this.writesCookies = writesCookies;
    }

    /**
     * The device fingerprint for the mirror, or null when there is none or privacy forbids using it.
     * Computed on first use: a returning visitor with cookies usually needs none.
     */
    String fingerprint() {
      return settings.fingerprint() && !optedOut && writesCookies ? coalescingKey() : null;
    }

    /** The fingerprint for coalescing (memory only, never stored; it ignores privacy signals). */
    String coalescingKey() {
      if (!hashed) {
        hashed = true;
        hash = writesCookies ? fingerprinter.fingerprint(request, client.ip()) : null;
      }
      return hash;
    }

    RequestContext requestContext() {
      if (requestContext == null) {
        requestContext = new RequestContext(ipForEvents(client.ip()), request.getHeader("User-Agent"),
            firstLanguage(request.getHeader("Accept-Language")), request.getRequestURI(), client.url(),
            request.getQueryString(), request.getHeader("Referer"));
      }
      return requestContext;
    }
  }

  /** The outcome of identity resolution. */
  record Resolution(boolean tracked, IdentitySource source, String anonymousId, String userId,
      String groupId, JsonObject userTraits, IdentityRecord record, boolean dirty) {}

  // ------------------------------------------------------------------ open

  /** Resolves the identity of a request (SPEC §5) and creates its context. */
  AnalyticsContext open(HttpServletRequest request) {
    ClientRequest client = ClientRequest.of(request, settings.trustedProxies());
    String userAgent = request.getHeader("User-Agent");
    if (settings.skipBots() && bots.isBot(userAgent)) {
      metrics.botsSkipped.increment();
      RequestScope scope = new RequestScope(request, client, CookieHeader.parse("", null), false, false, false);
      return new AnalyticsContext(this, scope,
          new Resolution(false, IdentitySource.NEW, Uuids.secure(), null, null, null, null, false));
    }
    boolean optedOut = settings.privacyGpc() != Settings.PrivacyMode.IGNORE && PrivacySignals.optedOut(request);
    boolean tracked = !(optedOut && settings.privacyGpc() == Settings.PrivacyMode.NO_TRACKING);
    CookieHeader cookies = CookieHeader.parse(request.getHeaders("Cookie"), settings.backupCookie());
    boolean persistent = settings.persist() && tracked;
    RequestScope scope = new RequestScope(request, client, cookies, optedOut, persistent, settings.persist());
    return new AnalyticsContext(this, scope, resolve(scope, tracked));
  }

  private Resolution resolve(RequestScope scope, boolean tracked) {
    CookieHeader cookies = scope.cookies;
    CookieValue anonCookie = cookies.id(CookieHeader.ANONYMOUS_ID);
    CookieValue userCookie = cookies.id(CookieHeader.USER_ID);
    CookieValue groupCookie = cookies.id(CookieHeader.GROUP_ID);
    countInvalid(anonCookie, userCookie, groupCookie);
    String userId = userCookie.value();
    String groupId = groupCookie.value();
    JsonObject legacyTraits = null;
    if (userId == null) {
      LegacyCookies.LegacyUser legacy = LegacyCookies.user(cookies.raw(CookieHeader.LEGACY_USER));
      if (legacy != null) {
        userId = legacy.userId();
        legacyTraits = legacy.traits();
      }
    }

    String anonymousId = anonCookie.value();
    if (anonymousId == null) {
      anonymousId = LegacyCookies.sioAnonymousId(cookies.raw(CookieHeader.LEGACY_SIO)).value();
    }
    if (anonymousId != null) {
      coalescer.cameBack(anonymousId);
      String successor = lateChanges.take(anonymousId);
      if (successor != null) {
        return applyLateChange(scope, tracked, successor);
      }
      return new Resolution(tracked, IdentitySource.COOKIE, anonymousId, userId, groupId, legacyTraits, null,
          legacyTraits != null);
    }

    // The browser lost its readable cookie: what the server kept brings the identity back.
    if (!settings.backupCookie().isEmpty()) {
      CookieValue backup = cookies.id(settings.backupCookie());
      countInvalid(backup);
      if (backup.value() != null) {
        metrics.restoredFromBackupCookie.increment();
        return restored(scope, IdentitySource.BACKUP_COOKIE, backup.value(), userId, groupId, tracked);
      }
    }
    boolean shared = false;
    if (scope.fingerprint() != null && scope.persistent) {
      Mirror.Restore restore = mirror.restore(scope.fingerprint());
      if (restore.anonymousId() != null) {
        metrics.restoredFromFingerprint.increment();
        return restored(scope, IdentitySource.FINGERPRINT, restore.anonymousId(), userId, groupId, tracked);
      }
      shared = restore.outcome() == Mirror.Restore.Outcome.AMBIGUOUS;
    }
    // Coalescing cannot tell this device's parallel requests from another browser's on a fingerprint the
    // mirror knows to be shared: there it could hand one browser the id just minted for another.
    String minted = Uuids.secure();
    if (scope.coalescingKey() != null && !shared) {
      String claimed = coalescer.claim(scope.coalescingKey(), minted);
      if (!claimed.equals(minted)) {
        metrics.coalesced.increment();
        return new Resolution(tracked, IdentitySource.COALESCED, claimed, userId, groupId, legacyTraits, null,
            legacyTraits != null);
      }
    }
    metrics.idsMinted.increment();
    return new Resolution(tracked, IdentitySource.NEW, minted, userId, groupId, legacyTraits, null,
        worthSaving(userId, groupId, legacyTraits));
  }

  /**
   * Whether a new identity has anything for the mirror yet. An empty record per new visitor would only
   * fill the store (its fingerprint link is what restores it).
   */
  private static boolean worthSaving(String userId, String groupId, JsonObject traits) {
    return userId != null || groupId != null || traits != null;
  }

  /** A restored id: the ids the browser lost with its cookies come back from the mirror record. */
  private Resolution restored(RequestScope scope, IdentitySource source, String anonymousId, String userId,
      String groupId, boolean tracked) {
    IdentityRecord record = mirror.find(anonymousId);
    if (record != null && record.successor() != null) {
      return applyLateChange(scope, tracked, record.successor());
    }
    if (record != null) {
      userId = userId != null ? userId : record.userId();
      groupId = groupId != null ? groupId : record.groupId();
    }
    return new Resolution(tracked, source, anonymousId, userId, groupId, null, record, false);
  }

  /** The browser still holds an id that was replaced after its last response had committed. */
  private Resolution applyLateChange(RequestScope scope, boolean tracked, String successor) {
    metrics.restoredFromLateChange.increment();
    if (successor.isEmpty()) {
      return new Resolution(tracked, IdentitySource.NEW, mint(), null, null, null, null, false);
    }
    IdentityRecord record = mirror.find(successor);
    return new Resolution(tracked, IdentitySource.COOKIE, successor, record == null ? null : record.userId(),
        record == null ? null : record.groupId(), null, record, false);
  }

  private void countInvalid(CookieValue... values) {
    for (CookieValue value : values) {
      if (value.isInvalid()) {
        metrics.invalidCookies.increment();
      }
    }
  }

  /**
   * Mints an anonymousId for a context that has none any more (after a reset, or a late reset). Not
   * offered for coalescing: the browser asking already has cookies.
   */
  String mint() {
    metrics.idsMinted.increment();
    return Uuids.secure();
  }

  // ------------------------------------------------------------------ cookies

  /** The cookies a response writes for the identity as it stands now; see {@link ResponseCookies}. */
  ResponseCookies cookies(AnalyticsContext context, HttpServletResponse response) {
    return new ResponseCookies(context, response, cookieWriter);
  }

  // ------------------------------------------------------------------ complete

  /** The request has ended: tell the mirror what changed, and keep changes the cookies missed. */
  void complete(AnalyticsContext context, RequestScope scope, CookieWriter.Written written) {
    if (!scope.writesCookies) {
      return;
    }
    try {
      Instant now = clock.instant();
      String current = context.peekAnonymousId();
      String replaced = null;
      if (written != null && written.anonymousId() != null
          && written.differsFrom(current, context.userId(), context.groupId())) {
        // The response committed before the identity changed: the browser's next request to this node
        // fixes its cookies. The mirror keeps the successor too, so that a restore of the old id (by
        // the backup cookie, on any node) follows it instead of bringing the old identity back.
        String successor = current == null ? "" : current;
        lateChanges.put(written.anonymousId(), successor);
        if (scope.persistent && !successor.equals(written.anonymousId())) {
          replaced = written.anonymousId();
          mirror.save(new IdentityRecord(replaced, null, null, null, null, successor, now));
        }
      }
      if (!scope.persistent) {
        return;
      }
      for (String old : context.retired()) {
        if (scope.fingerprint() != null) {
          mirror.unlink(scope.fingerprint(), old);
        }
        if (context.resetCalled() && !old.equals(replaced)) {
          mirror.delete(old);
        }
      }
      if (context.isDirty()) {
        IdentityRecord record = context.toRecord(now);
        if (record != null) {
          mirror.save(record);
        }
      }
      if (current != null && linkDue(current) && scope.fingerprint() != null) {
        mirror.link(scope.fingerprint(), current);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "audiencekit: could not record the identity of a request", e);
    }
  }

  /**
   * Whether the fingerprint link of {@code anonymousId} is due on this node: on its first request here,
   * then at most every {@link #LINK_REFRESH_MS}. This keeps the HMAC and the mirror out of a returning
   * visitor's requests; the cost is that a device whose fingerprint changed (a new network) is linked
   * under the new one up to that long later.
   */
  private boolean linkDue(String anonymousId) {
    long now = clock.millis();
    Long last = linkedAt.get(anonymousId);
    if (last != null && now - last < LINK_REFRESH_MS) {
      return false;
    }
    if (linkedAt.size() >= MAX_LINKED) {
      linkedAt.clear(); // bounded: forgetting only means one extra link per visitor
    }
    linkedAt.put(anonymousId, now);
    return true;
  }

  // ------------------------------------------------------------------ events

  IdentityRecord findRecord(String anonymousId) {
    return mirror.find(anonymousId);
  }

  void emit(boolean tracked, String event) {
    if (!tracked) {
      metrics.eventsDiscarded.increment();
      return;
    }
    delivery.accept(event);
  }

  private String ipForEvents(String clientIp) {
    if (clientIp == null) {
      return "";
    }
    return switch (settings.ip()) {
      case COLLECT -> clientIp;
      case TRUNCATE -> IpAddresses.truncate(clientIp);
      case OMIT -> "";
    };
  }

  /** The first language tag of an {@code Accept-Language} header, if it looks like one. */
  static String firstLanguage(String header) {
    if (header == null) {
      return null;
    }
    int end = header.length();
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == ',' || c == ';') {
        end = i;
        break;
      }
    }
    String tag = header.substring(0, end).trim();
    if (tag.isEmpty() || tag.length() > 35 || tag.equals("*")) {
      return null;
    }
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (!(c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return null;
      }
    }
    return tag;
  }

  @Override
  public void close() {
    Objects.requireNonNull(delivery).close();
    mirror.close();
  }
}
