package dev.audiencekit.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The effective configuration of one filter instance: every init-param of the README's table, parsed
 * and validated once, then frozen.
 *
 * <p>A value is looked up as the system property {@code audiencekit.<name>}, then the environment
 * variable {@code AUDIENCEKIT_<NAME>} (upper case, {@code .} as {@code _}), then the init-param; the
 * first that is present wins, so secrets can stay out of the WAR. An unknown init-param name, or any
 * value that cannot be used, is an {@link InvalidSettingException} naming the parameter.
 */
public final class Settings {

  // ---- parameter names and defaults (the README's table is checked against these by a test) ----
  public static final String WRITE_KEY = "writeKey";
  public static final String ENDPOINT = "endpoint";
  public static final String DEFAULT_ENDPOINT = "https://cdp.customer.io/v1";
  public static final String SINK = "sink";
  public static final String COOKIE_DOMAIN = "cookie.domain";
  public static final String COOKIE_MAX_AGE_DAYS = "cookie.maxAgeDays";
  public static final int DEFAULT_COOKIE_MAX_AGE_DAYS = 365;
  public static final String COOKIE_SAME_SITE = "cookie.sameSite";
  public static final String COOKIE_SECURE = "cookie.secure";
  public static final String COOKIE_FORMAT = "cookie.format";
  public static final String BACKUP_COOKIE = "backupCookie";
  public static final String DEFAULT_BACKUP_COOKIE = "ak_anonymous_id";
  public static final String BACKUP_COOKIE_MAX_AGE_DAYS = "backupCookie.maxAgeDays";
  public static final int DEFAULT_BACKUP_COOKIE_MAX_AGE_DAYS = 400;
  public static final String PERSIST = "persist";
  public static final String STORE = "store";
  public static final String STORE_USER = "store.user";
  public static final String STORE_PASSWORD = "store.password";
  public static final String STORE_TTL_DAYS = "store.ttlDays";
  public static final int DEFAULT_STORE_TTL_DAYS = 400;
  public static final String STORE_MAX_ENTRIES = "store.maxEntries";
  public static final int DEFAULT_STORE_MAX_ENTRIES = 1_000_000;
  public static final String STORE_MAX_BYTES = "store.maxBytes";
  public static final long DEFAULT_STORE_MAX_BYTES = 128L * 1024 * 1024;
  public static final String STORE_TIMEOUT_MS = "store.timeoutMs";
  public static final int DEFAULT_STORE_TIMEOUT_MS = 50;
  public static final String FINGERPRINT = "fingerprint";
  public static final String SECRET = "secret";
  public static final String FINGERPRINT_MIN_DORMANCY_HOURS = "fingerprint.minDormancyHours";
  public static final int DEFAULT_FINGERPRINT_MIN_DORMANCY_HOURS = 24;
  public static final String FINGERPRINT_SIGNALS = "fingerprint.signals";
  public static final String DEFAULT_FINGERPRINT_SIGNALS = "ip,user-agent,accept-language";
  public static final String FINGERPRINT_IPV4_PREFIX = "fingerprint.ipv4Prefix";
  public static final int DEFAULT_FINGERPRINT_IPV4_PREFIX = 24;
  public static final String FINGERPRINT_IPV6_PREFIX = "fingerprint.ipv6Prefix";
  public static final int DEFAULT_FINGERPRINT_IPV6_PREFIX = 48;
  public static final String TRUSTED_PROXIES = "trustedProxies";
  public static final String DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1";
  public static final String REMOTE_IP_HEADER = "remoteIpHeader";
  public static final String PRIVACY_GPC = "privacy.gpc";
  public static final String CONSENT = "consent";
  public static final String CONSENT_CATEGORIES = "consent.categories";
  public static final String CONSENT_REQUIRED = "consent.required";
  public static final String CONSENT_BEFORE = "consent.before";
  public static final String CONSENT_GPC_DENIES = "consent.gpcDenies";
  /** The HttpOnly cookie in which the server remembers a hash of the visitor's last consent. */
  public static final String CONSENT_MARK_COOKIE = "ak_consent";
  /** Longest consent category name or OneTrust group id, in characters. */
  public static final int MAX_CATEGORY_LENGTH = 64;
  public static final String IP = "ip";
  public static final String BOTS = "bots";
  public static final String BOTS_PATTERNS = "bots.patterns";
  public static final String EXCLUDE = "exclude";
  public static final String QUEUE_CAPACITY = "queue.capacity";
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final String FLUSH_AT = "flushAt";
  public static final int DEFAULT_FLUSH_AT = 100;
  public static final String FLUSH_INTERVAL_MS = "flushIntervalMs";
  public static final int DEFAULT_FLUSH_INTERVAL_MS = 5_000;
  public static final String HTTP_TIMEOUT_MS = "http.timeoutMs";
  public static final int DEFAULT_HTTP_TIMEOUT_MS = 10_000;
  public static final String RETRY_MAX_BACKOFF_MS = "retry.maxBackoffMs";
  public static final int DEFAULT_RETRY_MAX_BACKOFF_MS = 60_000;
  public static final String SPOOL_DIR = "spool.dir";
  public static final String SPOOL_MAX_BYTES = "spool.maxBytes";
  public static final long DEFAULT_SPOOL_MAX_BYTES = 268_435_456L;
  public static final String SHUTDOWN_TIMEOUT_MS = "shutdownTimeoutMs";
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
  public static final String COLLECT = "collect";
  public static final String COLLECT_MAX_EVENTS_PER_MINUTE = "collect.maxEventsPerMinute";
  public static final int DEFAULT_COLLECT_MAX_EVENTS_PER_MINUTE = 600;
  public static final String COLLECT_ALLOW_ORIGINS = "collect.allowOrigins";
  public static final String COLLECT_BUNDLE = "collect.bundle";

  /** Every accepted init-param name, in the README's order. */
  public static final List<String> NAMES = List.of(
      WRITE_KEY, ENDPOINT, SINK, COOKIE_DOMAIN, COOKIE_MAX_AGE_DAYS, COOKIE_SAME_SITE, COOKIE_SECURE,
      COOKIE_FORMAT, BACKUP_COOKIE, BACKUP_COOKIE_MAX_AGE_DAYS, PERSIST, STORE, STORE_USER,
      STORE_PASSWORD, STORE_TTL_DAYS, STORE_MAX_ENTRIES, STORE_MAX_BYTES, STORE_TIMEOUT_MS, FINGERPRINT,
      SECRET, FINGERPRINT_MIN_DORMANCY_HOURS, FINGERPRINT_SIGNALS, FINGERPRINT_IPV4_PREFIX, FINGERPRINT_IPV6_PREFIX,
      TRUSTED_PROXIES, REMOTE_IP_HEADER, PRIVACY_GPC, CONSENT, CONSENT_CATEGORIES, CONSENT_REQUIRED, CONSENT_BEFORE,
      CONSENT_GPC_DENIES, IP, BOTS, BOTS_PATTERNS, EXCLUDE, QUEUE_CAPACITY, FLUSH_AT,
      FLUSH_INTERVAL_MS, HTTP_TIMEOUT_MS, RETRY_MAX_BACKOFF_MS, SPOOL_DIR, SPOOL_MAX_BYTES,
      SHUTDOWN_TIMEOUT_MS, COLLECT, COLLECT_MAX_EVENTS_PER_MINUTE, COLLECT_ALLOW_ORIGINS, COLLECT_BUNDLE);

  /** Former names that are refused with a message naming the new one. */
  private static final Map<String, String> RENAMED = Map.of("fingerprint.secret", SECRET);
  private static final Set<String> SECRETS = Set.of(WRITE_KEY, STORE_PASSWORD, SECRET);
  private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
  private static final Set<String> SIGNALS =
      Set.of("ip", "user-agent", "accept-language", "accept", "accept-encoding", "sec-ch-ua",
          "sec-ch-ua-mobile", "sec-ch-ua-platform");

  public enum SameSite { LAX("Lax"), STRICT("Strict"), NONE("None");
    private final String attribute;
    SameSite(String attribute) { this.attribute = attribute; }
    /** The attribute value as written in {@code Set-Cookie}. */
    public String attribute() { return attribute; }
  }

  public enum Secure { AUTO, TRUE, FALSE }

  public enum CookieFormat { NEXT, CLASSIC }

  public enum PrivacyMode { NO_FINGERPRINT, NO_TRACKING, IGNORE }

  public enum IpMode { COLLECT, TRUNCATE, OMIT }

  /**
   * Where {@code collect.bundle} comes from: a resource of the web application's class loader
   * ({@code classpath:static/analytics.js}, {@code location} without the prefix), or a file.
   */
  public record BundleSource(boolean classpath, String location) {
    @Override
    public String toString() {
      return classpath ? "classpath:" + location : location;
    }
  }

  /** Where the visitor's consent comes from ({@code consent}). */
  public enum ConsentKind {
    /** No consent handling: today's behaviour. */
    NONE,
    /** OneTrust's {@code OptanonConsent} cookie. */
    ONETRUST,
    /** A JSON object cookie named by {@link #consentName()}, written by the site's own banner. */
    COOKIE,
    /** A class, named by {@link #consentName()}, implementing {@code dev.audiencekit.consent.ConsentSource}. */
    CLASS
  }

  /** What happens to events until the required consent category is granted ({@code consent.before}). */
  public enum ConsentBefore {
    /** Discarded and counted. */
    DROP,
    /** Sent with a per-request anonymousId, a truncated {@code context.ip} and no userId. */
    COOKIELESS
  }

  /**
   * The forwarding header family the trusted proxies write: {@code X-Forwarded-For} with
   * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, or RFC 7239 {@code Forwarded}.
   */
  public enum RemoteIpHeader { X_FORWARDED_FOR, FORWARDED }

  // ---- the values ----
  private final Map<String, String> effective;
  private final String writeKey;
  private final URI endpoint;
  private final List<String> sinks;
  private final String cookieDomain;
  private final int cookieMaxAgeDays;
  private final SameSite cookieSameSite;
  private final Secure cookieSecure;
  private final CookieFormat cookieFormat;
  private final String backupCookie;
  private final int backupCookieMaxAgeDays;
  private final boolean persist;
  private final String store;
  private final String storeUser;
  private final String storePassword;
  private final int storeTtlDays;
  private final int storeMaxEntries;
  private final long storeMaxBytes;
  private final int storeTimeoutMs;
  private final boolean fingerprint;
  private final Keys keys;
  private final Duration fingerprintMinDormancy;
  private final List<String> fingerprintSignals;
  private final int fingerprintIpv4Prefix;
  private final int fingerprintIpv6Prefix;
  private final TrustedProxies trustedProxies;
  private final PrivacyMode privacyGpc;
  private final ConsentKind consent;
  private final String consentName;
  private final Map<String, String> consentCategories;
  private final String consentRequired;
  private final ConsentBefore consentBefore;
  private final String consentGpcDenies;
  private final IpMode ip;
  private final boolean skipBots;
  private final List<String> botsPatterns;
  private final List<String> exclude;
  private final int queueCapacity;
  private final int flushAt;
  private final int flushIntervalMs;
  private final int httpTimeoutMs;
  private final int retryMaxBackoffMs;
  private final String spoolDir;
  private final long spoolMaxBytes;
  private final int shutdownTimeoutMs;
  private final String collect;
  private final int collectMaxEventsPerMinute;
  private final List<String> collectAllowOrigins;
  private final BundleSource collectBundle;

  /**
   * Parses a configuration.
   *
   * @param initParamNames the init-param names given in web.xml or {@code register(...)}
   * @param initParams     their values
   * @param systemProperty lookup of system properties ({@code System::getProperty} in production)
   * @param environment    lookup of environment variables ({@code System::getenv} in production)
   * @throws InvalidSettingException naming the first parameter that cannot be used
   */
  public static Settings parse(Iterable<String> initParamNames, Function<String, String> initParams,
      Function<String, String> systemProperty, Function<String, String> environment) {
    for (Map.Entry<String, String> renamed : RENAMED.entrySet()) {
      String former = renamed.getKey();
      boolean given = systemProperty.apply("audiencekit." + former) != null
          || environment.apply(environmentName(former)) != null;
      for (String name : initParamNames) {
        given |= name.equals(former);
      }
      if (given) {
        // The value is not read, let alone shown: it may be a secret.
        throw new InvalidSettingException(former, "is no longer read; use " + renamed.getValue()
            + " instead (as init-param, system property audiencekit." + renamed.getValue()
            + " or environment variable " + environmentName(renamed.getValue()) + ")"
            + (renamed.getValue().equals(SECRET) ? ", at least " + Keys.MIN_SECRET_LENGTH + " random characters" : ""));
      }
    }
    for (String name : initParamNames) {
      if (!NAMES.contains(name)) {
        throw new InvalidSettingException(name, "is not a known parameter; known parameters are "
            + String.join(", ", NAMES));
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String name : NAMES) {
      String value = systemProperty.apply("audiencekit." + name);
      if (value == null) {
        value = environment.apply(environmentName(name));
      }
      if (value == null) {
        value = initParams.apply(name);
      }
      if (value != null) {
        values.put(name, value.trim());
      }
    }
    return new Settings(values);
  }

  /** Parses a plain map of parameters, with no overrides (tests, programmatic use). */
  public static Settings of(Map<String, String> params) {
    return parse(params.keySet(), params::get, name -> null, name -> null);
  }

  /** {@code cookie.maxAgeDays} → {@code AUDIENCEKIT_COOKIE_MAXAGEDAYS}. */
  public static String environmentName(String parameter) {
    return "AUDIENCEKIT_" + parameter.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private Settings(Map<String, String> values) {
    this.effective = Collections.unmodifiableMap(values);
    Reader r = new Reader(values);
    writeKey = r.text(WRITE_KEY, null);
    endpoint = r.url(ENDPOINT, DEFAULT_ENDPOINT);
    sinks = r.list(SINK, writeKey != null ? "http" : "log");
    if (sinks.isEmpty()) {
      throw new InvalidSettingException(SINK, values.get(SINK),
          "names no sink; use http, log, jsonl:<file>, memory, none or a class name");
    }
    for (String sink : sinks) {
      validateSink(sink);
    }
    cookieDomain = r.domain(COOKIE_DOMAIN);
    cookieMaxAgeDays = r.integer(COOKIE_MAX_AGE_DAYS, DEFAULT_COOKIE_MAX_AGE_DAYS, 0, 400 * 10, "days");
    cookieSameSite = r.choice(COOKIE_SAME_SITE, SameSite.LAX, SameSite.class);
    cookieSecure = r.choice(COOKIE_SECURE, Secure.AUTO, Secure.class);
    cookieFormat = r.choice(COOKIE_FORMAT, CookieFormat.NEXT, CookieFormat.class);
    String backup = values.getOrDefault(BACKUP_COOKIE, DEFAULT_BACKUP_COOKIE);
    if (!backup.isEmpty() && !COOKIE_NAME.matcher(backup).matches()) {
      throw new InvalidSettingException(BACKUP_COOKIE, backup,
          "is not a cookie name (RFC 6265 token characters only; empty disables the backup cookie)");
    }
    if (backup.equals(CONSENT_MARK_COOKIE)) {
      throw new InvalidSettingException(BACKUP_COOKIE, backup,
          "is the name of the consent cookie the library writes; choose another name");
    }
    if (backup.startsWith("ajs_")) {
      throw new InvalidSettingException(BACKUP_COOKIE, backup,
          "would collide with the analytics.js cookies; choose a name that does not start with ajs_");
    }
    backupCookie = backup;
    backupCookieMaxAgeDays =
        r.integer(BACKUP_COOKIE_MAX_AGE_DAYS, DEFAULT_BACKUP_COOKIE_MAX_AGE_DAYS, 0, 400 * 10, "days");
    persist = r.bool(PERSIST, true);
    store = r.text(STORE, "memory");
    storeUser = r.text(STORE_USER, null);
    storePassword = r.text(STORE_PASSWORD, null);
    storeTtlDays = r.integer(STORE_TTL_DAYS, DEFAULT_STORE_TTL_DAYS, 1, 100_000, "days");
    storeMaxEntries = r.integer(STORE_MAX_ENTRIES, DEFAULT_STORE_MAX_ENTRIES, 1, Integer.MAX_VALUE, "entries");
    storeMaxBytes = r.longInteger(STORE_MAX_BYTES, DEFAULT_STORE_MAX_BYTES, 65_536, Long.MAX_VALUE / 4, "bytes");
    storeTimeoutMs = r.integer(STORE_TIMEOUT_MS, DEFAULT_STORE_TIMEOUT_MS, 1, 60_000, "milliseconds");
    if (!store.equals("memory") && !store.startsWith("jdbc:") && !store.startsWith("jndi:")
        && !isClassName(store)) {
      throw new InvalidSettingException(STORE, store,
          "is not accepted; use memory, a jdbc: URL, jndi:<name> or a class name implementing "
              + "dev.audiencekit.store.IdentityStore");
    }
    fingerprint = r.onOff(FINGERPRINT, true);
    String secret = r.text(SECRET, null);
    if (secret != null && secret.length() < Keys.MIN_SECRET_LENGTH) {
      // Never the value, nor any part of it: only how long it is.
      throw new InvalidSettingException(SECRET, "(not shown, " + secret.length() + " characters) is too short; use at least "
          + Keys.MIN_SECRET_LENGTH + " random characters, e.g. from openssl rand -base64 32");
    }
    if (fingerprint && secret == null && !store.equals("memory")) {
      throw new InvalidSettingException(SECRET,
          "is required when store is persistent (" + Credentials.mask(store) + ") and fingerprint=on; set it (at least "
              + Keys.MIN_SECRET_LENGTH + " random characters, e.g. through " + environmentName(SECRET)
              + ") or set fingerprint=off");
    }
    keys = secret == null ? Keys.random() : Keys.of(secret);
    fingerprintMinDormancy = Duration.ofHours(r.integer(FINGERPRINT_MIN_DORMANCY_HOURS,
        DEFAULT_FINGERPRINT_MIN_DORMANCY_HOURS, 0, Integer.MAX_VALUE, "hours"));
    fingerprintSignals = r.list(FINGERPRINT_SIGNALS, DEFAULT_FINGERPRINT_SIGNALS);
    for (String signal : fingerprintSignals) {
      if (!SIGNALS.contains(signal.toLowerCase(Locale.ROOT))) {
        throw new InvalidSettingException(FINGERPRINT_SIGNALS, signal,
            "is not a known signal; known signals are " + String.join(", ", new java.util.TreeSet<>(SIGNALS)));
      }
    }
    if (fingerprint && fingerprintSignals.isEmpty()) {
      throw new InvalidSettingException(FINGERPRINT_SIGNALS, "",
          "names no signal while fingerprint=on; name at least one or set fingerprint=off");
    }
    fingerprintIpv4Prefix = r.integer(FINGERPRINT_IPV4_PREFIX, DEFAULT_FINGERPRINT_IPV4_PREFIX, 0, 32, "bits");
    fingerprintIpv6Prefix = r.integer(FINGERPRINT_IPV6_PREFIX, DEFAULT_FINGERPRINT_IPV6_PREFIX, 0, 128, "bits");
    List<Cidr> proxies = new ArrayList<>();
    for (String cidr : r.list(TRUSTED_PROXIES, DEFAULT_TRUSTED_PROXIES)) {
      try {
        proxies.add(Cidr.parse(cidr));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingException(TRUSTED_PROXIES, cidr,
            "is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)");
      }
    }
    trustedProxies = new TrustedProxies(proxies,
        r.choice(REMOTE_IP_HEADER, RemoteIpHeader.X_FORWARDED_FOR, RemoteIpHeader.class));
    privacyGpc = r.choice(PRIVACY_GPC, PrivacyMode.NO_FINGERPRINT, PrivacyMode.class);
    String consentValue = r.text(CONSENT, "none");
    consent = consentKind(consentValue);
    consentName = switch (consent) {
      case COOKIE -> consentCookieName(consentValue.substring("cookie:".length()));
      case CLASS -> consentValue;
      default -> null;
    };
    consentCategories = consentCategories(r.text(CONSENT_CATEGORIES, null));
    consentRequired = category(CONSENT_REQUIRED, r.text(CONSENT_REQUIRED, null));
    consentGpcDenies = category(CONSENT_GPC_DENIES, r.text(CONSENT_GPC_DENIES, null));
    consentBefore = r.choice(CONSENT_BEFORE, ConsentBefore.DROP, ConsentBefore.class);
    requireConsentCombination(values);
    ip = r.choice(IP, IpMode.COLLECT, IpMode.class);
    String bots = r.text(BOTS, "skip");
    if (!bots.equals("skip") && !bots.equals("allow")) {
      throw new InvalidSettingException(BOTS, bots, "is not accepted; use skip or allow");
    }
    skipBots = bots.equals("skip");
    botsPatterns = r.list(BOTS_PATTERNS, "");
    exclude = r.list(EXCLUDE, "");
    try {
      dev.audiencekit.http.PathPatterns.of(exclude);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(EXCLUDE, values.get(EXCLUDE),
          "is not a list of path patterns; use /prefix/*, an exact /path or *.extension (" + e.getMessage() + ")");
    }
    queueCapacity = r.integer(QUEUE_CAPACITY, DEFAULT_QUEUE_CAPACITY, 1, 10_000_000, "events");
    flushAt = r.integer(FLUSH_AT, DEFAULT_FLUSH_AT, 1, 2500, "events (a batch holds at most 2500)");
    flushIntervalMs = r.integer(FLUSH_INTERVAL_MS, DEFAULT_FLUSH_INTERVAL_MS, 1, 3_600_000, "milliseconds");
    httpTimeoutMs = r.integer(HTTP_TIMEOUT_MS, DEFAULT_HTTP_TIMEOUT_MS, 1, 600_000, "milliseconds");
    retryMaxBackoffMs = r.integer(RETRY_MAX_BACKOFF_MS, DEFAULT_RETRY_MAX_BACKOFF_MS, 100, 86_400_000, "milliseconds");
    spoolDir = r.text(SPOOL_DIR, null);
    spoolMaxBytes = r.longInteger(SPOOL_MAX_BYTES, DEFAULT_SPOOL_MAX_BYTES, 0, Long.MAX_VALUE, "bytes");
    shutdownTimeoutMs = r.integer(SHUTDOWN_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 600_000, "milliseconds");
    collect = collectPrefix(r.text(COLLECT, null));
    collectMaxEventsPerMinute = r.integer(COLLECT_MAX_EVENTS_PER_MINUTE, DEFAULT_COLLECT_MAX_EVENTS_PER_MINUTE, 1,
        1_000_000_000, "events");
    List<String> origins = new ArrayList<>();
    for (String origin : r.list(COLLECT_ALLOW_ORIGINS, "")) {
      origins.add(origin(origin));
    }
    collectAllowOrigins = List.copyOf(origins);
    collectBundle = bundle(r.text(COLLECT_BUNDLE, null));
    if (collect == null) {
      for (String name : List.of(COLLECT_MAX_EVENTS_PER_MINUTE, COLLECT_ALLOW_ORIGINS, COLLECT_BUNDLE)) {
        if (values.containsKey(name)) {
          throw new InvalidSettingException(name, values.get(name),
              "has no effect without collect, the path prefix of the collection endpoint (e.g. /ak)");
        }
      }
    }
  }

  private static final Pattern COLLECT_PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  private static String collectPrefix(String value) {
    if (value == null) {
      return null;
    }
    boolean dotSegment = ("/" + value + "/").contains("/./") || ("/" + value + "/").contains("/../");
    if (!COLLECT_PREFIX.matcher(value).matches() || dotSegment || value.length() > 200) {
      throw new InvalidSettingException(COLLECT, value, "is not a path prefix such as /ak: a leading /, no "
          + "trailing /, path segments of letters, digits, '.', '_', '~' and '-' (no . or .. segment), at most "
          + "200 characters");
    }
    return value;
  }

  /** An origin as browsers send it in {@code Origin}: lower-case scheme and host, the port only when not the default. */
  private static String origin(String value) {
    if (value.equals("*")) {
      throw new InvalidSettingException(COLLECT_ALLOW_ORIGINS, value, "is not accepted: a wildcard would let any "
          + "site send events in your visitors' names; list the origins, e.g. https://shop.example.com");
    }
    String origin = dev.audiencekit.http.Origin.normalize(value);
    if (origin == null) {
      throw new InvalidSettingException(COLLECT_ALLOW_ORIGINS, value,
          "is not an origin: scheme, host and optional port, e.g. https://shop.example.com or http://localhost:3000");
    }
    return origin;
  }

  private static BundleSource bundle(String value) {
    if (value == null) {
      return null;
    }
    if (value.startsWith("classpath:")) {
      String name = value.substring("classpath:".length());
      if (name.isEmpty() || name.startsWith("/")) {
        throw new InvalidSettingException(COLLECT_BUNDLE, value, "is not accepted; a classpath: resource is "
            + "named without a leading /, e.g. classpath:static/analytics.js");
      }
      return new BundleSource(true, name);
    }
    return new BundleSource(false, value);
  }

  private static ConsentKind consentKind(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("none")) {
      return ConsentKind.NONE;
    }
    if (lower.equals("onetrust")) {
      return ConsentKind.ONETRUST;
    }
    if (lower.startsWith("cookie:")) {
      return ConsentKind.COOKIE;
    }
    if (isClassName(value)) {
      return ConsentKind.CLASS;
    }
    throw new InvalidSettingException(CONSENT, value, "is not accepted; use none, onetrust, cookie:<name> or a "
        + "class name implementing dev.audiencekit.consent.ConsentSource");
  }

  private String consentCookieName(String name) {
    String given = "cookie:" + name;
    if (name.isEmpty() || !COOKIE_NAME.matcher(name).matches()) {
      throw new InvalidSettingException(CONSENT, given,
          "does not name a cookie; use cookie:<name> with RFC 6265 token characters, e.g. cookie:site_consent");
    }
    if (name.startsWith("ajs_") || name.equals(CONSENT_MARK_COOKIE) || name.equals(backupCookie)) {
      throw new InvalidSettingException(CONSENT, given,
          "names a cookie of the library itself; name the cookie that the site's consent banner writes");
    }
    return name;
  }

  /** {@code C0002=Analytics,C0004=Advertising} → an ordered, immutable map of group id → category. */
  private static Map<String, String> consentCategories(String value) {
    if (value == null) {
      return Map.of();
    }
    Map<String, String> mapping = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String group = eq < 0 ? "" : pair.substring(0, eq).trim();
      String category = eq < 0 ? "" : pair.substring(eq + 1).trim();
      if (!isGroupId(group) || !isCategory(category)) {
        throw new InvalidSettingException(CONSENT_CATEGORIES, value, "is not a list of groupId=Category pairs "
            + "(e.g. C0002=Analytics,C0004=Advertising): '" + pair.trim() + "' is not one; a group id is 1 to "
            + MAX_CATEGORY_LENGTH + " letters, digits, _, - or ., a category 1 to " + MAX_CATEGORY_LENGTH
            + " characters without , = or control characters");
      }
      if (mapping.put(group, category) != null) {
        throw new InvalidSettingException(CONSENT_CATEGORIES, value, "maps the group " + group + " twice");
      }
    }
    if (mapping.isEmpty()) {
      throw new InvalidSettingException(CONSENT_CATEGORIES, value,
          "names no pair; use groupId=Category pairs such as C0002=Analytics,C0004=Advertising");
    }
    return Collections.unmodifiableMap(mapping);
  }

  private static String category(String parameter, String value) {
    if (value != null && !isCategory(value)) {
      throw new InvalidSettingException(parameter, value, "is not a consent category name; use 1 to "
          + MAX_CATEGORY_LENGTH + " characters without , = or control characters, e.g. Analytics");
    }
    return value;
  }

  /** True for a consent category name as the settings accept it: 1 to 64 characters without , = or controls. */
  public static boolean isCategory(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_CATEGORY_LENGTH || !name.equals(name.strip())) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || c == ',' || c == '=') {
        return false;
      }
      if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isGroupId(String id) {
    return !id.isEmpty() && id.length() <= MAX_CATEGORY_LENGTH && id.matches("[A-Za-z0-9_.\\-]+");
  }

  /** The consent parameters that only mean something together with others. */
  private void requireConsentCombination(Map<String, String> values) {
    if (consent == ConsentKind.NONE) {
      for (String dependent : List.of(CONSENT_CATEGORIES, CONSENT_REQUIRED, CONSENT_BEFORE, CONSENT_GPC_DENIES)) {
        if (given(values, dependent)) {
          throw new InvalidSettingException(dependent, values.get(dependent), "has no effect while consent=none; "
              + "set consent to onetrust, cookie:<name> or a class name, or remove " + dependent);
        }
      }
      return;
    }
    if (given(values, CONSENT_CATEGORIES) && consent != ConsentKind.ONETRUST) {
      throw new InvalidSettingException(CONSENT_CATEGORIES, values.get(CONSENT_CATEGORIES),
          "applies to consent=onetrust only (consent is " + values.get(CONSENT) + "); remove it, or name the "
              + "categories as the consent source does");
    }
    if (given(values, CONSENT_BEFORE) && consentRequired == null) {
      throw new InvalidSettingException(CONSENT_BEFORE, values.get(CONSENT_BEFORE),
          "has no effect without consent.required; name the required category or remove consent.before");
    }
    for (String parameter : List.of(CONSENT_REQUIRED, CONSENT_GPC_DENIES)) {
      String category = parameter.equals(CONSENT_REQUIRED) ? consentRequired : consentGpcDenies;
      String mapped = category == null ? null : consentCategories.get(category);
      if (mapped != null && !mapped.equals(category)) {
        throw new InvalidSettingException(parameter, category, "is a OneTrust group that consent.categories "
            + "renames to " + mapped + "; name the category: " + mapped);
      }
    }
  }

  private static boolean given(Map<String, String> values, String name) {
    String value = values.get(name);
    return value != null && !value.isEmpty();
  }

  private static void validateSink(String sink) {
    switch (sink) {
      case "http", "log", "memory", "none" -> { }
      default -> {
        if (sink.startsWith("jsonl:")) {
          if (sink.length() == "jsonl:".length()) {
            throw new InvalidSettingException(SINK, sink, "names no file; use jsonl:<file>");
          }
        } else if (!isClassName(sink)) {
          throw new InvalidSettingException(SINK, sink,
              "is not accepted; use http, log, jsonl:<file>, memory, none or a class name implementing "
                  + "dev.audiencekit.sink.EventSink");
        }
      }
    }
  }

  private static boolean isClassName(String value) {
    return value.matches("([\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*\\.)+"
        + "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*");
  }

  /**
   * The one-line start-up summary. Of {@code writeKey}, {@code secret} and {@code store.password} only
   * whether they are set is shown, and every credential in a URL is masked ({@link Credentials}).
   */
  public String summary() {
    StringBuilder out = new StringBuilder();
    for (String name : NAMES) {
      String value = effective.get(name);
      if (value == null || name.equals(WRITE_KEY) || name.equals(SECRET)) {
        continue; // the two are shown up front
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(name).append('=').append(SECRETS.contains(name) ? "set" : Credentials.mask(value));
    }
    return "sinks=" + Credentials.mask(sinks.toString()) + ", store=" + Credentials.mask(store)
        + ", writeKey=" + (writeKey == null ? "(none)" : "set")
        + ", secret=" + (keys.configured() ? "set" : "(none)")
        + (out.length() == 0 ? "" : ", given: " + out);
  }

  // ---- accessors ----
  public String writeKey() { return writeKey; }
  public URI endpoint() { return endpoint; }
  public List<String> sinks() { return sinks; }
  /** {@code auto}, {@code none}, or an explicit domain (lower case, no leading dot). */
  public String cookieDomain() { return cookieDomain; }
  public int cookieMaxAgeDays() { return cookieMaxAgeDays; }
  public SameSite cookieSameSite() { return cookieSameSite; }
  /** The configured {@code cookie.secure}; {@code SameSite=None} always forces {@code TRUE}. */
  public Secure cookieSecure() { return cookieSameSite == SameSite.NONE ? Secure.TRUE : cookieSecure; }
  public CookieFormat cookieFormat() { return cookieFormat; }
  /** The backup cookie's name, or {@code ""} when disabled. */
  public String backupCookie() { return backupCookie; }
  public int backupCookieMaxAgeDays() { return backupCookieMaxAgeDays; }
  public boolean persist() { return persist; }
  public String store() { return store; }
  public String storeUser() { return storeUser; }
  public String storePassword() { return storePassword; }
  public int storeTtlDays() { return storeTtlDays; }
  public int storeMaxEntries() { return storeMaxEntries; }
  public long storeMaxBytes() { return storeMaxBytes; }
  /** How long an id must not have been in use before a fingerprint may restore it; zero = no wait. */
  public int storeTimeoutMs() { return storeTimeoutMs; }
  public boolean fingerprint() { return fingerprint; }
  /** The key material: from {@code secret}, or random per boot when it is not set. */
  public Keys keys() { return keys; }
  /** How long an id must have been out of use before a fingerprint may restore it; zero disables the wait. */
  public Duration fingerprintMinDormancy() { return fingerprintMinDormancy; }
  public List<String> fingerprintSignals() { return fingerprintSignals; }
  public int fingerprintIpv4Prefix() { return fingerprintIpv4Prefix; }
  public int fingerprintIpv6Prefix() { return fingerprintIpv6Prefix; }
  /** The {@code trustedProxies} blocks with the {@code remoteIpHeader} family they write. */
  public TrustedProxies trustedProxies() { return trustedProxies; }
  public RemoteIpHeader remoteIpHeader() { return trustedProxies.header(); }
  public PrivacyMode privacyGpc() { return privacyGpc; }
  public ConsentKind consent() { return consent; }
  /** The cookie name of {@code cookie:<name>} or the class name of a custom source; null otherwise. */
  public String consentName() { return consentName; }
  /** {@code consent.categories}: OneTrust group id → category, in the given order; empty when not set. */
  public Map<String, String> consentCategories() { return consentCategories; }
  /** The category without which nothing identifying happens, or null when nothing waits for consent. */
  public String consentRequired() { return consentRequired; }
  public ConsentBefore consentBefore() { return consentBefore; }
  /** The category forced to false by {@code Sec-GPC: 1}, or null. */
  public String consentGpcDenies() { return consentGpcDenies; }
  public IpMode ip() { return ip; }
  public boolean skipBots() { return skipBots; }
  public List<String> botsPatterns() { return botsPatterns; }
  public List<String> exclude() { return exclude; }
  public int queueCapacity() { return queueCapacity; }
  public int flushAt() { return flushAt; }
  public int flushIntervalMs() { return flushIntervalMs; }
  public int httpTimeoutMs() { return httpTimeoutMs; }
  public int retryMaxBackoffMs() { return retryMaxBackoffMs; }
  /** {@code null} for the default (the servlet temp dir), {@code none} when disabled, else a path. */
  public String spoolDir() { return spoolDir; }
  public long spoolMaxBytes() { return spoolMaxBytes; }
  public int shutdownTimeoutMs() { return shutdownTimeoutMs; }
  /** The collection endpoint's path prefix within the context ({@code /ak}), or {@code null} when off. */
  public String collect() { return collect; }
  public int collectMaxEventsPerMinute() { return collectMaxEventsPerMinute; }
  /** Origins ({@code https://shop.example.com}) allowed to post cross-origin, as browsers spell them. */
  public List<String> collectAllowOrigins() { return collectAllowOrigins; }
  /** The analytics.js file to serve, or {@code null}. */
  public BundleSource collectBundle() { return collectBundle; }

  /** Reads typed values out of the effective map, throwing errors that name the parameter. */
  private static final class Reader {
    private final Map<String, String> values;

    Reader(Map<String, String> values) {
      this.values = values;
    }

    String text(String name, String fallback) {
      String value = values.get(name);
      return value == null || value.isEmpty() ? fallback : value;
    }

    List<String> list(String name, String fallback) {
      String value = values.getOrDefault(name, fallback);
      List<String> items = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      return List.copyOf(items);
    }

    int integer(String name, int fallback, int min, int max, String unit) {
      long value = longInteger(name, fallback, min, max, unit);
      return (int) value;
    }

    long longInteger(String name, long fallback, long min, long max, String unit) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      long parsed;
      try {
        parsed = Long.parseLong(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new InvalidSettingException(name, value, "is not a whole number of " + unit + rangeText(min, max));
      }
      if (parsed < min || parsed > max) {
        throw new InvalidSettingException(name, value, "is not a whole number of " + unit + rangeText(min, max));
      }
      return parsed;
    }

    private static String rangeText(long min, long max) {
      return max >= Integer.MAX_VALUE ? " ≥ " + min : " from " + min + " to " + max;
    }

    boolean bool(String name, boolean fallback) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new InvalidSettingException(name, value, "is not accepted; use true or false");
      };
    }

    boolean onOff(String name, boolean fallback) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "on" -> true;
        case "off" -> false;
        default -> throw new InvalidSettingException(name, value, "is not accepted; use on or off");
      };
    }

    <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      String wanted = value.replace('-', '_');
      List<String> accepted = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        String spelled = spelling(constant);
        accepted.add(spelled);
        if (constant.name().equalsIgnoreCase(wanted)) {
          return constant;
        }
      }
      throw new InvalidSettingException(name, value, "is not accepted; use " + String.join(", ", accepted));
    }

    private static String spelling(Enum<?> constant) {
      if (constant instanceof SameSite sameSite) {
        return sameSite.attribute();
      }
      return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    URI url(String name, String fallback) {
      String value = values.getOrDefault(name, fallback);
      try {
        URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        if (uri.getHost() == null
            || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
          throw new URISyntaxException(value, "not absolute");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new InvalidSettingException(name, value,
            "is not an absolute http or https URL such as https://cdp.customer.io/v1");
      }
    }

    String domain(String name) {
      String value = values.getOrDefault(name, "auto").toLowerCase(Locale.ROOT);
      if (value.equals("auto") || value.equals("none")) {
        return value;
      }
      String domain = value.startsWith(".") ? value.substring(1) : value;
      if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new InvalidSettingException(name, values.get(name),
            "is not accepted; use auto, none or a domain name such as example.com");
      }
      return domain;
    }
  }
}
