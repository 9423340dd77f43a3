package dev.audiencekit;

import dev.audiencekit.event.EventFactory;
import dev.audiencekit.event.Uuids;
import dev.audiencekit.event.JsonValues;
import dev.audiencekit.identity.DeviceKey;
import dev.audiencekit.identity.Resolution;
import dev.audiencekit.identity.Resolver;
import dev.audiencekit.store.IdentityRecord;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.ServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The audience identity of one request, with analytics.js's API: {@code user()}, {@code identify},
 * {@code track}, {@code page}, {@code group}, {@code alias}, {@code reset}.
 *
 * <p>The {@link AnalyticsFilter} creates it for every request it processes and stores it as the
 * request attribute {@value #ATTRIBUTE}, so servlets call {@code AnalyticsContext.get(request)} and
 * JSP EL says {@code ${analytics.anonymousId}}. Identity changes are written to the cookies just
 * before the response commits, and to the server-side mirror when the request ends.
 *
 * <p>Not thread-safe: it belongs to its request, and may be used from an async servlet's thread
 * until the request completes.
 */
public final class AnalyticsContext {
  /** The request attribute under which the context is stored. */
  public static final String ATTRIBUTE = "analytics";

  private final Engine engine;
  private final Engine.RequestScope scope;
  private boolean tracked;
  private final IdentitySource source;
  private final User user = new User(this);
  private final Group group = new Group(this);
  /** The id the browser presented in a cookie (only such an id is linked to its fingerprint), or null. */
  private final String presentedAnonymousId;

  private String anonymousId;
  private String userId;
  private String groupId;
  /** {@code null} until loaded from the mirror (or set). */
  private JsonObject userTraits;
  private JsonObject groupTraits;
  /** The device key the browser will hold after this response (a reset renews it); null without one. */
  private DeviceKey deviceKey;
  /** Mirror records read during this request, by anonymousId ({@code null} values: none stored). */
  private final Map<String, IdentityRecord> records = new HashMap<>(4);
  /** Something the mirror should learn when the request ends. */
  private boolean dirty;
  /** The only change so far came from legacy cookies (stored under stricter rules). */
  private boolean legacyOnly;
  /** anonymousIds this device gave up during the request (reset, user switch, override). */
  private final List<String> retired = new ArrayList<>(0);
  /** anonymousIds the application set through the API: it vouches for them, so the browser may own them. */
  private List<String> vouched = List.of();
  private boolean resetCalled;

  AnalyticsContext(Engine engine, Engine.RequestScope scope, boolean tracked, Resolution resolution,
      DeviceKey deviceKey) {
    this.engine = engine;
    this.scope = scope;
    this.tracked = tracked;
    this.source = resolution.source();
    this.anonymousId = resolution.anonymousId();
    this.userId = resolution.userId();
    this.groupId = resolution.groupId();
    this.userTraits = resolution.legacyTraits();
    this.deviceKey = deviceKey;
    this.presentedAnonymousId = resolution.presented() ? resolution.anonymousId() : null;
    if (resolution.recordRead()) {
      records.put(resolution.anonymousId(), resolution.record());
    }
    this.dirty = resolution.legacyTraits() != null;
    this.legacyOnly = dirty;
  }

  /**
   * The context of a request processed by the {@link AnalyticsFilter}.
   *
   * @throws IllegalStateException when the filter did not run for this request
   */
  public static AnalyticsContext get(ServletRequest request) {
    Object context = request.getAttribute(ATTRIBUTE);
    if (context instanceof AnalyticsContext analytics) {
      return analytics;
    }
    throw new IllegalStateException("No AnalyticsContext on this request: the audiencekit filter did not "
        + "process it. Map dev.audiencekit.AnalyticsFilter to this URL in web.xml (<filter-mapping> with "
        + "<url-pattern>/*</url-pattern> and <dispatcher>REQUEST</dispatcher>), or register it with "
        + "AnalyticsFilter.register(servletContext, initParams), and check that the path is not in "
        + "the filter's exclude list.");
  }

  // ---------------------------------------------------------------- entities

  public User user() {
    return user;
  }

  public Group group() {
    return group;
  }

  /** How the anonymousId of this request was found. */
  public IdentitySource source() {
    return source;
  }

  /**
   * False for a crawler skipped under {@code bots=skip}, and under {@code privacy.gpc=no-tracking} for a
   * request with {@code Sec-GPC: 1} or {@code DNT: 1}: such a context discards its events (counted).
   */
  public boolean isTracked() {
    return tracked;
  }

  // ---------------------------------------------------------------- consent

  /**
   * Records the visitor's consent decision made through a form the application handles on the server:
   * category → granted. It applies to the rest of this request at once (events carry it; granting the
   * required category makes this response set the identity cookies when it has not committed yet;
   * withdrawing it forgets the identity), and with a {@code cookie:<name>} source the cookie is written so
   * the site's banner and later requests agree. An empty map withdraws the decision.
   *
   * @throws IllegalArgumentException naming the category when a name or value is not accepted
   * @throws IllegalStateException when the {@code consent} init-param is {@code none}
   */
  public void consent(Map<String, Boolean> categoryPreferences) {
    Objects.requireNonNull(categoryPreferences, "categoryPreferences");
    Engine.RequestScope s = scope;
    boolean wasGranted = s.consent.isGranted();
    s.consent = engine.consentPolicy().decide(s.consent, categoryPreferences);
    if (!wasGranted && s.consent.isGranted()) {
      engine.granted(this, s);
    } else if (wasGranted && !s.consent.isGranted()) {
      engine.revoked(this, s);
      engine.reportConsent(this, s);
      tracked = false;
      anonymousId = Uuids.secure(); // the rest of the request gets a per-request id, nothing persisted
      records.put(anonymousId, null);
      userId = null;
      groupId = null;
      userTraits = JsonValue.EMPTY_JSON_OBJECT;
      groupTraits = JsonValue.EMPTY_JSON_OBJECT;
      dirty = false;
      return;
    }
    engine.reportConsent(this, s);
  }

  /**
   * The visitor's consent as {@code context.consent.categoryPreferences} carries it (empty until the
   * visitor decides), or {@code null} when the {@code consent} init-param is {@code none}.
   */
  public Map<String, Boolean> consent() {
    return scope.consent.isEnabled() ? scope.consent.categoryPreferences() : null;
  }

  /** Runs {@code callback} at once: the context is ready as soon as the filter has run. */
  public void ready(Runnable callback) {
    Objects.requireNonNull(callback, "callback").run();
  }

  // ---------------------------------------------------------------- identify

  public void identify(String userId) {
    identify(userId, null, null);
  }

  public void identify(Map<String, ?> traits) {
    identify(null, traits, null);
  }

  public void identify(String userId, Map<String, ?> traits) {
    identify(userId, traits, null);
  }

  /**
   * Identifies the visitor. For the same user, or a visitor who was anonymous, {@code traits} are
   * merged into the cached traits; for a different user the anonymousId is regenerated and the traits
   * are replaced. A {@code null} userId keeps the current one. The event carries the merged traits.
   */
  public void identify(String userId, Map<String, ?> traits, Options options) {
    Ids.optional("userId", userId);
    JsonObject given = JsonValues.object("traits", traits);
    Options opts = options == null ? Options.create() : options;
    String current = this.userId;
    if (userId != null && current != null && !current.equals(userId)) {
      retire(anonymousId);
      anonymousId = null;
      userTraits = given;
    } else {
      userTraits = JsonValues.merge(cachedUserTraits(), given);
    }
    if (userId != null) {
      this.userId = userId;
    }
    changed();
    applyAnonymousIdOption(opts);
    emit(engine.events().identify(ids(), userTraits, scope.requestContext(), opts));
  }

  // ---------------------------------------------------------------- track, page

  public void track(String event) {
    track(event, null, null);
  }

  public void track(String event, Map<String, ?> properties) {
    track(event, properties, null);
  }

  /** Records that the visitor did {@code event}. */
  public void track(String event, Map<String, ?> properties, Options options) {
    if (event == null || event.isEmpty()) {
      throw new IllegalArgumentException("event must be a non-empty event name");
    }
    Options opts = options == null ? Options.create() : options;
    String json = engine.events().track(ids(opts), event, properties, scope.requestContext(), opts);
    applyAnonymousIdOption(opts);
    emit(json);
  }

  public void page() {
    page(null, null, null, null);
  }

  public void page(String name) {
    page(null, name, null, null);
  }

  public void page(String name, Map<String, ?> properties) {
    page(null, name, properties, null);
  }

  public void page(String category, String name) {
    page(category, name, null, null);
  }

  public void page(String category, String name, Map<String, ?> properties) {
    page(category, name, properties, null);
  }

  /** Records a page view; the page's path, url, search and referrer come from the request. */
  public void page(String category, String name, Map<String, ?> properties, Options options) {
    Options opts = options == null ? Options.create() : options;
    String json = engine.events().page(ids(opts), category, name, null, properties, scope.requestContext(), opts);
    applyAnonymousIdOption(opts);
    emit(json);
  }

  // ---------------------------------------------------------------- group, alias

  public void group(String groupId) {
    group(groupId, null, null);
  }

  public void group(String groupId, Map<String, ?> traits) {
    group(groupId, traits, null);
  }

  /**
   * Associates the visitor with a group. Merge and replace rules as {@link #identify}; never changes
   * the user's anonymousId.
   */
  public void group(String groupId, Map<String, ?> traits, Options options) {
    Ids.optional("groupId", groupId);
    JsonObject given = JsonValues.object("traits", traits);
    Options opts = options == null ? Options.create() : options;
    String current = this.groupId;
    if (groupId != null && current != null && !current.equals(groupId)) {
      groupTraits = given;
    } else {
      groupTraits = JsonValues.merge(cachedGroupTraits(), given);
    }
    if (groupId != null) {
      this.groupId = groupId;
    }
    changed();
    applyAnonymousIdOption(opts);
    emit(engine.events().group(ids(), this.groupId, groupTraits, scope.requestContext(), opts));
  }

  public void alias(String userId) {
    alias(userId, null, null);
  }

  /** Links {@code userId} with {@code previousId} (default: the current userId, else the anonymousId). */
  public void alias(String userId, String previousId, Options options) {
    Ids.require("userId", userId);
    Ids.optional("previousId", previousId);
    Options opts = options == null ? Options.create() : options;
    applyAnonymousIdOption(opts);
    String previous = previousId != null ? previousId : this.userId != null ? this.userId : anonymousId();
    emit(engine.events().alias(ids(), userId, previous, scope.requestContext(), opts));
  }

  // ---------------------------------------------------------------- reset

  /**
   * Forgets the visitor: userId, anonymousId, user traits, groupId and group traits, from the cookies
   * (deleted) and the mirror, including the fingerprint link. A new anonymousId is minted lazily by the
   * next event or {@code anonymousId()} call.
   */
  public void reset() {
    retire(anonymousId);
    resetCalled = true;
    anonymousId = null;
    userId = null;
    groupId = null;
    userTraits = JsonValue.EMPTY_JSON_OBJECT;
    groupTraits = JsonValue.EMPTY_JSON_OBJECT;
    if (deviceKey != null) {
      deviceKey = DeviceKey.mint(); // a shared computer's next user owns nothing of this one's
    }
    changed();
  }

  // ---------------------------------------------------------------- EL getters

  public String getAnonymousId() {
    return anonymousId();
  }

  public String getUserId() {
    return userId;
  }

  public String getGroupId() {
    return groupId;
  }

  public User getUser() {
    return user;
  }

  public Group getGroup() {
    return group;
  }

  public IdentitySource getSource() {
    return source;
  }

  @Override
  public String toString() {
    return "AnalyticsContext{anonymousId=" + anonymousId + ", userId=" + userId + ", groupId=" + groupId
        + ", source=" + source + ", tracked=" + tracked + "}";
  }

  // ---------------------------------------------------------------- package-private state access

  String anonymousId() {
    if (anonymousId == null) {
      anonymousId = engine.mint();
      records.put(anonymousId, null); // a fresh UUID has no record
      changed();
    }
    return anonymousId;
  }

  /** The anonymousId without minting one (null after a reset). */
  String peekAnonymousId() {
    return anonymousId;
  }

  String userId() {
    return userId;
  }

  String groupId() {
    return groupId;
  }

  /** Sets the anonymousId through the API: the application vouches for it (the browser may own its record). */
  String overrideAnonymousId(String newId) {
    if (Objects.equals(newId, anonymousId)) {
      return anonymousId;
    }
    cachedUserTraits();
    cachedGroupTraits(); // carry the traits over: they belong to the browser, not to the id
    retire(anonymousId);
    anonymousId = newId;
    if (newId != null) {
      if (vouched.isEmpty()) {
        vouched = new ArrayList<>(1);
      }
      vouched.add(newId);
    }
    changed();
    return anonymousId;
  }

  Map<String, Object> userTraitsView() {
    return JsonValues.toJava(cachedUserTraits());
  }

  Map<String, Object> groupTraitsView() {
    return JsonValues.toJava(cachedGroupTraits());
  }

  void replaceUserTraits(Map<String, ?> traits) {
    userTraits = JsonValues.object("traits", traits);
    changed();
  }

  void replaceGroupTraits(Map<String, ?> traits) {
    groupTraits = JsonValues.object("traits", traits);
    changed();
  }

  Engine.RequestScope scope() {
    return scope;
  }

  /** Consent was granted during the request: from now on this context is the visitor's identity. */
  void becomeTracked(DeviceKey key) {
    tracked = true;
    deviceKey = key;
    dirty = true;
  }

  /** Sends the {@code Segment Consent Preference Updated} event for the consent as it stands. */
  void consentPreferenceUpdated() {
    emit(engine.events().consentPreferenceUpdated(ids(), scope.requestContext()));
  }

  /** The device key the backup cookie gets on this response, or null when there is none. */
  DeviceKey deviceKey() {
    return deviceKey;
  }

  /** The id the browser presented in a cookie, or null (then nothing is linked to its fingerprint). */
  String presentedAnonymousId() {
    return presentedAnonymousId;
  }

  boolean isDirty() {
    return dirty;
  }

  /** Whether everything the mirror would learn came from legacy cookies, not from the application. */
  boolean onlyLegacyChanges() {
    return legacyOnly;
  }

  boolean resetCalled() {
    return resetCalled;
  }

  List<String> retired() {
    return retired;
  }

  boolean vouched(String id) {
    return vouched.contains(id);
  }

  /** The stored record of {@code id} as it is, read at most once per request; null when none. */
  IdentityRecord recordOf(String id) {
    if (records.containsKey(id)) {
      return records.get(id);
    }
    IdentityRecord record = engine.findRecord(id);
    records.put(id, record);
    return record;
  }

  JsonObject userTraitsToStore() {
    return cachedUserTraits();
  }

  JsonObject groupTraitsToStore() {
    return cachedGroupTraits();
  }

  // ---------------------------------------------------------------- internals

  private EventFactory.Ids ids() {
    return new EventFactory.Ids(anonymousId(), eventUserId());
  }

  /** No userId leaves a request that waits for consent (its events, if any, are cookieless). */
  private String eventUserId() {
    return tracked || !scope.cookieless ? userId : null;
  }

  /**
   * The ids of an event about to be built: the {@code anonymousId} option, when given, is the one the
   * event carries (and becomes the visitor's once the event is built without error).
   */
  private EventFactory.Ids ids(Options options) {
    return new EventFactory.Ids(options.anonymousId() != null ? options.anonymousId() : anonymousId(), eventUserId());
  }

  private void applyAnonymousIdOption(Options options) {
    if (options.anonymousId() != null) {
      overrideAnonymousId(options.anonymousId());
    }
  }

  private void changed() {
    dirty = true;
    legacyOnly = false;
  }

  private void retire(String id) {
    if (id != null && !retired.contains(id)) {
      retired.add(id);
    }
  }

  /**
   * The record of the current id when this request's browser owns it: stored user data is given only
   * to its owners. A browser that merely presents someone's anonymousId (anyone can) gets nothing.
   */
  private IdentityRecord ownedRecord() {
    if (anonymousId == null) {
      return null;
    }
    IdentityRecord record = recordOf(anonymousId);
    return Resolver.owns(record, scope.backup.deviceKey()) ? record : null;
  }

  private JsonObject cachedUserTraits() {
    if (userTraits == null) {
      IdentityRecord r = ownedRecord();
      userTraits = r == null ? JsonValue.EMPTY_JSON_OBJECT : r.userTraits();
    }
    return userTraits;
  }

  private JsonObject cachedGroupTraits() {
    if (groupTraits == null) {
      IdentityRecord r = ownedRecord();
      groupTraits = r == null || !Objects.equals(r.groupId(), groupId) ? JsonValue.EMPTY_JSON_OBJECT : r.groupTraits();
    }
    return groupTraits;
  }

  private void emit(String event) {
    engine.emit(tracked, scope.cookieless, event);
  }
}
