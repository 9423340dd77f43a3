package dev.audiencekit;

import dev.audiencekit.config.Settings;
import dev.audiencekit.consent.ConsentPolicy;
import dev.audiencekit.consent.ConsentState;
import dev.audiencekit.cookie.CookieAttributes;
import dev.audiencekit.cookie.CookieDomains;
import dev.audiencekit.cookie.CookieHeader;
import dev.audiencekit.delivery.Delivery;
import dev.audiencekit.event.EventFactory;
import dev.audiencekit.event.RequestContext;
import dev.audiencekit.event.Uuids;
import dev.audiencekit.http.ClientRequest;
import dev.audiencekit.http.IpAddresses;
import dev.audiencekit.identity.BackupCookie;
import dev.audiencekit.identity.Coalescer;
import dev.audiencekit.identity.CookieWriter;
import dev.audiencekit.identity.DeviceKey;
import dev.audiencekit.identity.LateChanges;
import dev.audiencekit.identity.LinkThrottle;
import dev.audiencekit.identity.Resolution;
import dev.audiencekit.identity.Resolver;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import dev.audiencekit.privacy.BotDetector;
import dev.audiencekit.privacy.Fingerprinter;
import dev.audiencekit.privacy.PrivacySignals;
import dev.audiencekit.store.IdentityRecord;
import dev.audiencekit.store.Mirror;
import dev.audiencekit.store.Successor;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one filter instance runs on: its settings and the long-lived services (mirror, delivery,
 * fingerprinting, cookie writer), and the three steps of every request: {@link #open} resolves the
 * identity, {@link #cookies} keeps the response's cookies in step with it, {@link #complete}
 * tells the mirror what changed. Package-private: the public surface is the filter and the context.
 *
 * <p>What reaches the mirror obeys who owns it: a record that holds user data is replaced or deleted
 * only by a request whose browser owns it (its device key), or for an id the application itself set
 * through the API; anything else is refused and counted.
 */
final class Engine implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AnalyticsFilter.class.getName());
  /** Stored traits of one record, user and group together, as JSON text. */
  static final int MAX_STORED_TRAITS_CHARS = 16_384;
  private static final long WARN_INTERVAL_MS = 60_000;

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
  private final LinkThrottle linkThrottle;
  private final Resolver resolver;
  private final EventFactory events;
  private final ConsentPolicy consentPolicy;
  private final CookieDomains domains;
  /** Rate-limited warnings about client input that was used but not stored or written. */
  private final Outages warnings;
  /** Computed once: copying it per request was a twentieth of the returning visitor's filter time. */
  private final Set<String> ownedCookieNames;

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
    this.linkThrottle = new LinkThrottle(clock);
    this.resolver = new Resolver(settings, metrics, clock, mirror, coalescer, lateChanges);
    this.events = new EventFactory(clock, libraryVersion);
    this.consentPolicy = ConsentPolicy.create(settings, metrics, clock);
    this.warnings = new Outages(LOG, clock, WARN_INTERVAL_MS);
    this.domains = CookieDomains.of(settings.cookieDomain());
    List<String> owned = new ArrayList<>(cookieWriter.names());
    owned.addAll(consentCookieNames());
    this.ownedCookieNames = Set.copyOf(owned);
  }

  /** The names of every cookie a response's owned headers may carry (identity and consent); immutable. */
  Set<String> ownedCookieNames() {
    return ownedCookieNames;
  }

  ConsentPolicy consentPolicy() {
    return consentPolicy;
  }

  EventFactory events() {
    return events;
  }

  /** Everything about one request that the context needs besides its identity. */
  final class RequestScope implements Resolver.Fingerprints {
    final HttpServletRequest request;
    final ClientRequest client;
    final CookieHeader cookies;
    /** The backup cookie as the browser sent it (its device key is what proves ownership). */
    final BackupCookie backup;
    /** Whether the request asked not to be fingerprinted ({@code Sec-GPC}/{@code DNT} under {@code privacy.gpc}). */
    private final boolean optedOut;
    /** Whether the mirror may learn from this request ({@code persist} on, tracked, consent granted). */
    boolean persistent;
    /** Whether identity cookies are written ({@code persist} on, not a skipped crawler, consent granted). */
    boolean writesCookies;
    /** The visitor's consent as it stands ({@link ConsentState#OFF} under {@code consent=none}). */
    ConsentState consent = ConsentState.OFF;
    /** The consent mark the last update event was sent for (or that the request came with). */
    String reportedMark;
    /** Consent was withdrawn: the identity cookies, the backup cookie and the owned record go. */
    String revokedId;
    /** Events wait for consent and go out cookieless meanwhile ({@code consent.before=cookieless}). */
    boolean cookieless;
    /** Consent cookies ({@code ak_consent}, the source cookie) are written: not for crawlers. */
    boolean writesConsentCookies;

    Settings.CookieFormat settingsCookieFormat() {
      return settings.cookieFormat();
    }
    private RequestContext requestContext;
    private String hash;
    private boolean hashed;

    RequestScope(HttpServletRequest request, ClientRequest client, CookieHeader cookies, BackupCookie backup,
        boolean optedOut, boolean persistent, boolean writesCookies) {
      this.request = request;
      this.client = client;
      this.cookies = cookies;
      this.backup = backup;
      this.optedOut = optedOut;
      this.persistent = persistent;
      this.writesCookies = writesCookies;
    }

    /**
     * The device fingerprint for the mirror, or null when there is none or privacy forbids using it.
     * Computed on first use: a returning visitor with cookies usually needs none.
     */
    @Override
    public String forMirror() {
      return settings.fingerprint() && !optedOut && writesCookies ? forCoalescing() : null;
    }

    /** The fingerprint for coalescing (memory only, never stored; it ignores privacy signals). */
    @Override
    public String forCoalescing() {
      if (!hashed) {
        hashed = true;
        hash = writesCookies ? fingerprinter.fingerprint(request, client.ip()) : null;
      }
      return hash;
    }

    /** A cheap hash of the raw signals a fingerprint is made of: the link throttle's key. */
    long signals() {
      return LinkThrottle.signals(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"),
          request.getHeader("Forwarded"), request.getHeader("User-Agent"), request.getHeader("Accept-Language"));
    }

    RequestContext requestContext() {
      if (requestContext == null) {
        String ip = ipForEvents(client.ip());
        if (cookieless && !ip.isEmpty()) {
          ip = IpAddresses.truncate(ip); // no identity yet: the address is blurred too
        }
        requestContext = new RequestContext(ip, request.getHeader("User-Agent"),
            firstLanguage(request.getHeader("Accept-Language")), request.getRequestURI(), client.url(),
            request.getQueryString(), request.getHeader("Referer"));
      }
      return requestContext.withConsent(consent.contextJson());
    }
  }

  // ------------------------------------------------------------------ open

  /** Resolves the identity of a request and creates its context. */
  AnalyticsContext open(HttpServletRequest request) {
    ClientRequest client = ClientRequest.of(request, settings.trustedProxies());
    String userAgent = request.getHeader("User-Agent");
    if (settings.skipBots() && bots.isBot(userAgent)) {
      metrics.botsSkipped.increment();
      RequestScope scope = new RequestScope(request, client, CookieHeader.parse("", null), BackupCookie.parse(null),
          false, false, false);
      return new AnalyticsContext(this, scope, false, Resolution.minted(Uuids.secure(), null, null, null), null);
    }
    boolean optedOut = settings.privacyGpc() != Settings.PrivacyMode.IGNORE && PrivacySignals.optedOut(request);
    boolean tracked = !(optedOut && settings.privacyGpc() == Settings.PrivacyMode.NO_TRACKING);
    CookieHeader cookies = CookieHeader.parse(request.getHeaders("Cookie"), settings.backupCookie());
    BackupCookie backup = settings.backupCookie().isEmpty()
        ? BackupCookie.parse(null) : BackupCookie.parse(cookies.raw(settings.backupCookie()));
    ConsentState consent = consentPolicy.evaluate(request);
    if (!consent.isGranted()) {
      return withoutConsent(request, client, cookies, backup, consent);
    }
    boolean persistent = settings.persist() && tracked;
    RequestScope scope = new RequestScope(request, client, cookies, backup, optedOut, persistent, settings.persist());
    scope.consent = consent;
    scope.reportedMark = consent.previousMark();
    scope.writesConsentCookies = settings.persist();
    Resolution resolution = resolver.resolve(cookies, backup, scope, persistent);
    AnalyticsContext context = new AnalyticsContext(this, scope, tracked, resolution, deviceKeyFor(scope, backup,
        resolution.renewKey()));
    reportConsent(context, scope);
    return context;
  }

  private DeviceKey deviceKeyFor(RequestScope scope, BackupCookie backup, boolean renew) {
    DeviceKey key = backup.deviceKey();
    if (scope.writesCookies && !settings.backupCookie().isEmpty() && (key == null || renew)) {
      key = DeviceKey.mint();
    }
    return key;
  }

  /**
   * A request whose visitor has not granted the required consent category: nothing identifying happens.
   * No identity cookie, no fingerprint, nothing read or stored; a per-request anonymousId; an untracked
   * context whose events are dropped or, under {@code consent.before=cookieless}, sent without identity.
   * When the visitor withdrew consent, the identity is forgotten: its cookies are deleted at commit and
   * its record (when this browser owns it) when the request ends.
   */
  private AnalyticsContext withoutConsent(HttpServletRequest request, ClientRequest client, CookieHeader cookies,
      BackupCookie backup, ConsentState consent) {
    RequestScope scope = new RequestScope(request, client, cookies, backup, true, false, false);
    scope.consent = consent;
    scope.reportedMark = consent.previousMark();
    scope.writesConsentCookies = settings.persist();
    scope.cookieless = consentPolicy.before() == Settings.ConsentBefore.COOKIELESS;
    if (consent.isRevoked()) {
      String held = cookies.id(CookieHeader.ANONYMOUS_ID).value();
      scope.revokedId = held != null ? held : backup.anonymousId().value();
    }
    AnalyticsContext context = new AnalyticsContext(this, scope, false,
        Resolution.minted(Uuids.secure(), null, null, null), null);
    reportConsent(context, scope);
    return context;
  }

  /**
   * Sends one {@code Segment Consent Preference Updated} event when the visitor's preferences differ from
   * those of the previous request (or from what this request already reported). A revocation is sent
   * with the anonymousId being revoked, before its cookies go: the one event sent while consent is denied.
   */
  void reportConsent(AnalyticsContext context, RequestScope scope) {
    ConsentState consent = scope.consent;
    if (!consent.isEnabled() || java.util.Objects.equals(consent.mark(), scope.reportedMark)) {
      return;
    }
    scope.reportedMark = consent.mark();
    metrics.consentUpdates.increment();
    if (scope.revokedId != null) {
      metrics.consentRevocations.increment();
      delivery.accept(events.consentPreferenceUpdated(new EventFactory.Ids(scope.revokedId,
          scope.cookies.id(CookieHeader.USER_ID).value()), scope.requestContext()));
      return;
    }
    context.consentPreferenceUpdated();
  }

  // ------------------------------------------------------------------ cookies

  /** The cookies a response writes for the request as it stands; see {@link ResponseCookies}. */
  ResponseCookies cookies(AnalyticsContext context, HttpServletResponse response) {
    return new ResponseCookies(context, response, cookieWriter, this);
  }

  /**
   * The {@code Set-Cookie} values of the consent cookies for the consent as it stands: the
   * {@code ak_consent} mark and, after a decision the application recorded, the source's own cookie.
   */
  List<String> consentCookies(RequestScope scope) {
    if (!scope.writesConsentCookies || !scope.consent.isEnabled()) {
      return List.of();
    }
    String domain = domains.domainFor(scope.client.host());
    String mark = consentPolicy.markCookie(scope.consent,
        CookieAttributes.backup(settings, domain, scope.client.isSecure()));
    String source = consentPolicy.sourceCookie(scope.consent,
        CookieAttributes.readable(settings, domain, scope.client.isSecure()));
    if (mark == null) {
      return source == null ? List.of() : List.of(source);
    }
    return source == null ? List.of(mark) : List.of(mark, source);
  }

  /** Names of the consent cookies a response may write (its source cookie included). */
  List<String> consentCookieNames() {
    if (!consentPolicy.isEnabled()) {
      return List.of();
    }
    return settings.consent() == Settings.ConsentKind.COOKIE
        ? List.of(ConsentPolicy.MARK_COOKIE, settings.consentName()) : List.of(ConsentPolicy.MARK_COOKIE);
  }

  /** Counts (and logs, at most once a minute) ids that were used but too large for a cookie. */
  void tooLargeForCookie(int count) {
    if (count > 0) {
      metrics.idsTooLargeForCookie.add(count);
      warnings.warn("id-too-large", "audiencekit: an id was used for a request but not written to a cookie: its "
          + "encoded value is over " + CookieWriter.MAX_VALUE_BYTES + " bytes (counted in idsTooLargeForCookie)", null);
    }
  }

  // ------------------------------------------------------------------ complete

  /** The request has ended: tell the mirror what changed, and keep changes the cookies missed. */
  void complete(AnalyticsContext context, RequestScope scope, CookieWriter.Written written) {
    if (scope.revokedId != null && settings.persist()) {
      forgetRevoked(context, scope.revokedId);
    }
    if (!scope.writesCookies) {
      return;
    }
    try {
      Instant now = clock.instant();
      String current = context.peekAnonymousId();
      String replaced = null;
      if (written != null && written.anonymousId() != null
          && written.differsFrom(current, context.userId(), context.groupId())) {
        replaced = keepLateChange(context, scope, written, current, now);
      }
      if (!scope.persistent) {
        return;
      }
      List<String> retired = context.retired();
      for (int i = 0; i < retired.size(); i++) {
        String old = retired.get(i);
        String fingerprint = scope.forMirror();
        if (fingerprint != null) {
          mirror.unlink(fingerprint, old);
        }
        if (context.resetCalled() && !old.equals(replaced)) {
          if (mayReplace(context, old)) {
            mirror.delete(old);
          } else {
            metrics.writesRefusedNotOwner.increment();
          }
        }
      }
      if (context.isDirty() && current != null) {
        save(context, current, now);
      }
      String presented = context.presentedAnonymousId();
      if (presented != null && presented.equals(current) && linkThrottle.due(current, scope.signals())) {
        String fingerprint = scope.forMirror();
        if (fingerprint != null) {
          mirror.link(fingerprint, current);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "audiencekit: could not record the identity of a request", e);
    }
  }

  /**
   * The response committed before the identity changed: the browser's next request to this node fixes
   * its cookies, and the mirror keeps the successor too, so that a restore of the old id (by the backup
   * cookie, on any node) follows it instead of bringing the old identity back. Both are bound to the
   * device key the browser holds, so no other browser presenting the old id follows. Returns the old id
   * when its record was replaced.
   */
  private String keepLateChange(AnalyticsContext context, RequestScope scope, CookieWriter.Written written,
      String current, Instant now) {
    DeviceKey held = written.deviceKey();
    if (held == null) {
      return null; // no device key (backup cookie disabled): nothing can be handed back safely
    }
    String old = written.anonymousId();
    Successor successor = current == null ? Successor.RESET : Successor.movedTo(current);
    lateChanges.put(old, successor, held.hash());
    if (!scope.persistent || old.equals(current)) {
      return null;
    }
    IdentityRecord existing = context.recordOf(old);
    if (existing != null && existing.holdsUserData() && !Resolver.owns(existing, scope.backup.deviceKey())) {
      metrics.writesRefusedNotOwner.increment();
      return null;
    }
    List<String> owners = IdentityRecord.withOwner(existing == null ? List.of() : existing.owners(), held.hash());
    mirror.save(IdentityRecord.replaced(old, successor, owners, now));
    return old;
  }

  /**
   * Consent was withdrawn: the record of the revoked id goes with its fingerprint links when this browser
   * owns it (or it holds no user data); an id with someone else's data is never restored by fingerprint
   * anyway. Nothing hands the id out again: coalescing forgets it too.
   */
  private void forgetRevoked(AnalyticsContext context, String anonymousId) {
    try {
      coalescer.cameBack(anonymousId);
      if (mayReplace(context, anonymousId)) {
        mirror.delete(anonymousId);
      } else {
        metrics.writesRefusedNotOwner.increment();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "audiencekit: could not forget a revoked identity", e);
    }
  }

  /**
   * The visitor granted consent during this request (a form handled on the server) and the response has
   * not committed: from now on the request's id is its identity, written and stored as usual.
   */
  void granted(AnalyticsContext context, RequestScope scope) {
    scope.cookieless = false;
    scope.revokedId = null;
    scope.writesCookies = settings.persist();
    scope.persistent = settings.persist();
    context.becomeTracked(deviceKeyFor(scope, scope.backup, false));
  }

  /** The visitor withdrew consent during this request: the identity is forgotten as on a revoked request. */
  void revoked(AnalyticsContext context, RequestScope scope) {
    scope.revokedId = context.peekAnonymousId();
    scope.writesCookies = false;
    scope.persistent = false;
    scope.cookieless = consentPolicy.before() == Settings.ConsentBefore.COOKIELESS;
  }

  /** Whether this request may replace or delete the stored record of {@code anonymousId}. */
  private boolean mayReplace(AnalyticsContext context, String anonymousId) {
    IdentityRecord existing = context.recordOf(anonymousId);
    return existing == null || !existing.holdsUserData()
        || Resolver.owns(existing, context.scope().backup.deviceKey()) || context.vouched(anonymousId);
  }

  /** Saves the identity of the context under {@code anonymousId}, within the ownership and size rules. */
  private void save(AnalyticsContext context, String anonymousId, Instant now) {
    IdentityRecord existing = context.recordOf(anonymousId);
    boolean hasUserData = existing != null && existing.holdsUserData();
    if (context.onlyLegacyChanges()) {
      // Legacy cookies are stored only into a record that holds no user data yet, and only for an id
      // the browser came back with (a cookieless flood with legacy cookies stores nothing).
      if (hasUserData || context.presentedAnonymousId() == null) {
        return;
      }
    } else if (hasUserData && !mayReplace(context, anonymousId)) {
      metrics.writesRefusedNotOwner.increment();
      return;
    }
    JsonObject userTraits = context.userTraitsToStore();
    JsonObject groupTraits = context.groupTraitsToStore();
    if (userTraits.toString().length() + groupTraits.toString().length() > MAX_STORED_TRAITS_CHARS) {
      metrics.traitsTooLargeToStore.increment();
      warnings.warn("traits-too-large", "audiencekit: traits over " + MAX_STORED_TRAITS_CHARS + " bytes of JSON were sent "
          + "with their events but not stored; the stored traits stay as they were (counted in traitsTooLargeToStore)", null);
      userTraits = existing == null ? null : existing.userTraits();
      groupTraits = existing == null ? null : existing.groupTraits();
    }
    List<String> owners = existing == null ? List.of() : existing.owners();
    DeviceKey key = context.deviceKey();
    if (key != null) {
      owners = IdentityRecord.withOwner(owners, key.hash());
    }
    IdentityRecord record = IdentityRecord.of(anonymousId, context.userId(), context.groupId(), userTraits,
        groupTraits, owners, now);
    if (record.isEmpty() && existing == null) {
      return; // nothing worth keeping: an empty record per new visitor would only fill the store
    }
    mirror.save(record);
    if (record.holdsUserData()) {
      coalescer.cameBack(anonymousId); // an id with user data is never handed to a parallel request
    }
  }

  // ------------------------------------------------------------------ mirror reads for the context

  /** The stored record of {@code anonymousId} as it is (the caller applies the ownership rules). */
  IdentityRecord findRecord(String anonymousId) {
    return mirror.find(anonymousId);
  }

  /** Mints an anonymousId for a context that has none any more (after a reset or an override with null). */
  String mint() {
    metrics.idsMinted.increment();
    return Uuids.secure();
  }

  // ------------------------------------------------------------------ events

  void emit(boolean tracked, String event) {
    emit(tracked, false, event);
  }

  /** Delivers an event of a tracked context, or of one waiting for consent under {@code consent.before=cookieless}. */
  void emit(boolean tracked, boolean cookieless, String event) {
    if (!tracked && !cookieless) {
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
