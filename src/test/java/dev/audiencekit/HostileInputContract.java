package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.cookie.CookieValue;
import dev.audiencekit.cookie.CookieValueEncoder;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.RawHttp;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile input over raw sockets (keep-alive) to the filter inside a real container: a seeded corpus
 * of 10,000 malformed {@code Cookie} headers and 2,700 hostile forwarding, host, agent, language,
 * referrer and privacy headers and query strings. For every response: never a 5xx (the container's own
 * 4xx for a request it cannot parse is counted, not failed); no exception leaves the analytics filter
 * (a guard filter mapped in front of it records any, and logs carrying an exception are captured);
 * every {@code Set-Cookie} is one of the four identity cookies, at most four per response, under 4096
 * bytes, with attributes of the expected form and a value that is a deletion, a UUID or the canonical
 * encoding of a valid id (so a raw request value is never copied); every 200 carries a valid identity
 * whose cookies decode to the ids the page saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputContract {
  static final Pattern UUID = Pattern.compile(FilterContract.UUID_PATTERN);
  private static final Pattern SET_COOKIE_ATTRIBUTE = Pattern.compile(
      "Path=/|Max-Age=[0-9]{1,10}|Expires=[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT"
          + "|Domain=[a-z0-9._-]{1,253}|SameSite=(Lax|Strict|None)|Secure|HttpOnly");
  private static final List<String> COOKIE_NAMES =
      List.of("ajs_anonymous_id", "ajs_user_id", "ajs_group_id", "ak_anonymous_id");
  static final int COOKIE_CASES = 10_000;
  static final int HEADER_CASES = 2_700;

  private Container container;
  private RobustApp app;
  private final List<String> loggedExceptions = new CopyOnWriteArrayList<>();
  private final Handler logHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getThrown() != null && record.getLevel().intValue() >= Level.WARNING.intValue()) {
        loggedExceptions.add(record.getLoggerName() + ": " + record.getMessage() + ": " + record.getThrown());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    Logger.getLogger("").addHandler(logHandler);
    Map<String, String> params = TestApp.defaults();
    app = new RobustApp(params);
    // 128 KiB of headers, so huge values reach the filter instead of the container's 431.
    container = Container.start(kind(), Container.testWebapp(), app, 128 * 1024);
  }

  @AfterAll
  void stop() {
    if (container != null) {
      container.close();
    }
    Logger.getLogger("").removeHandler(logHandler);
  }

  @Test
  void tenThousandMalformedCookieHeadersNeverBreakTheFilter() throws IOException {
    HostileCorpus corpus = new HostileCorpus(0x5EED_C00C1EL, authority(), "/hello");
    Tally tally = run(corpus.cookieCases(COOKIE_CASES));
    System.out.println(kind() + " cookie corpus: " + tally);
    assertThat(tally.total).isEqualTo(COOKIE_CASES);
    // The container refuses some requests (NUL or bare CR in a header); the filter must see most of them.
    assertThat(tally.ok).isGreaterThan(COOKIE_CASES * 8 / 10);
    assertNothingEscaped();
  }

  @Test
  void hostileForwardingHostAgentLanguageHeadersAndQueriesNeverBreakTheFilter() throws IOException {
    HostileCorpus corpus = new HostileCorpus(0xF0_4A4DEDL, authority(), "/hello");
    Tally tally = run(corpus.headerCases(HEADER_CASES));
    System.out.println(kind() + " header corpus: " + tally);
    assertThat(tally.total).isEqualTo(HEADER_CASES);
    assertThat(tally.ok).isGreaterThan(HEADER_CASES / 2);
    assertNothingEscaped();
  }

  @Test
  void eventsBuiltFromHostileRequestsAreValidJson() throws IOException {
    HostileCorpus corpus = new HostileCorpus(0xE7E475L, authority(), "/hello");
    List<HostileCorpus.Case> cases = new ArrayList<>(corpus.headerCases(300));
    cases.addAll(corpus.cookieCases(300));
    run(cases);
    try (RawHttp http = new RawHttp(container.base())) {
      RawHttp.Response response = http.send(RawHttp.get("/events").header("Host", authority()));
      assertThat(response.status()).isEqualTo(200);
      JsonArray events = Json.createReader(new StringReader(response.bodyText())).readArray();
      assertThat(events).isNotEmpty();
      for (JsonValue value : events) {
        JsonObject event = value.asJsonObject();
        assertThat(CookieValue.isValidId(event.getString("anonymousId"))).as(event.toString()).isTrue();
        assertThat(event.getString("messageId")).startsWith("ak-").hasSizeLessThan(100);
        assertThat(event.getJsonObject("context").getJsonObject("page").getString("url"))
            .as("context.page.url is a URL").startsWith("http");
      }
    }
    assertNothingEscaped();
  }

  private String authority() {
    return "127.0.0.1:" + container.base().getPort();
  }

  private void assertNothingEscaped() {
    assertThat(app.escaped).as("exceptions that left the analytics filter").isEmpty();
    assertThat(loggedExceptions).as("exceptions logged at WARNING or above").isEmpty();
  }

  /** Counts by status, and the largest figures seen. */
  static final class Tally {
    int total;
    int ok;
    final Map<Integer, Integer> byStatus = new TreeMap<>();
    final Map<String, Integer> refusedByKind = new TreeMap<>();
    /** Milliseconds spent per kind (reported, never asserted). */
    final Map<String, Long> millisByKind = new TreeMap<>();
    int connections;
    int maxSetCookies;
    int maxSetCookieBytes;

    @Override
    public String toString() {
      return total + " requests, " + ok + " answered 200 by the servlet, statuses " + byStatus
          + ", refused by the container by kind " + refusedByKind + ", " + connections + " connections, at most "
          + maxSetCookies + " Set-Cookie per response, longest " + maxSetCookieBytes + " bytes; ms by kind "
          + millisByKind;
    }
  }

  private Tally run(List<HostileCorpus.Case> cases) throws IOException {
    Tally tally = new Tally();
    try (RawHttp http = new RawHttp(container.base())) {
      for (HostileCorpus.Case c : cases) {
        long started = System.nanoTime();
        RawHttp.Response response = http.send(c.request());
        tally.millisByKind.merge(c.kind(), (System.nanoTime() - started) / 1_000_000, Long::sum);
        tally.total++;
        tally.byStatus.merge(response.status(), 1, Integer::sum);
        String what = c.kind() + ": " + c.request();
        assertThat(response.status()).as("status of %s", what).isLessThan(500);
        checkSetCookies(response, what, tally);
        if (response.status() == 200) {
          tally.ok++;
          checkIdentity(response, what);
        } else {
          assertThat(response.status()).as("status of %s", what).isBetween(400, 499);
          tally.refusedByKind.merge(c.kind(), 1, Integer::sum);
        }
      }
      tally.connections = http.connections();
    }
    return tally;
  }

  private static void checkSetCookies(RawHttp.Response response, String what, Tally tally) {
    List<String> setCookies = response.all("Set-Cookie");
    assertThat(setCookies.size()).as("Set-Cookie count for %s", what).isLessThanOrEqualTo(4);
    tally.maxSetCookies = Math.max(tally.maxSetCookies, setCookies.size());
    for (String header : setCookies) {
      tally.maxSetCookieBytes = Math.max(tally.maxSetCookieBytes, header.length());
      assertThat(header.length()).as("Set-Cookie size for %s", what).isLessThan(4096);
      String[] parts = header.split("; ", -1);
      int eq = parts[0].indexOf('=');
      assertThat(eq).as(header).isPositive();
      String name = parts[0].substring(0, eq);
      String value = parts[0].substring(eq + 1);
      assertThat(COOKIE_NAMES).as("cookie name in %s for %s", header, what).contains(name);
      for (int i = 1; i < parts.length; i++) {
        assertThat(parts[i]).as("attribute of %s for %s", header, what).matches(SET_COOKIE_ATTRIBUTE);
      }
      assertThat(isCanonical(value) || (value.isEmpty() && header.contains("; Max-Age=0;")))
          .as("value of %s is a UUID or the canonical encoding of a valid id (%s)", header, what).isTrue();
    }
  }

  /** A UUID, or exactly what the cookie writer produces for the id it decodes to. */
  static boolean isCanonical(String value) {
    if (UUID.matcher(value).matches()) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') {
        return false;
      }
    }
    CookieValue decoded = CookieValue.decode(value);
    return decoded.isPresent() && CookieValueEncoder.encodeNext(decoded.value()).equals(value);
  }

  private static void checkIdentity(RawHttp.Response response, String what) {
    JsonObject body = Json.createReader(new StringReader(response.bodyText())).readObject();
    String anonymousId = body.getString("anonymousId");
    assertThat(CookieValue.isValidId(anonymousId)).as("anonymousId %s of %s", anonymousId, what).isTrue();
    if (!body.getBoolean("tracked")) {
      assertThat(response.all("Set-Cookie")).as("an untracked crawler gets no cookie: %s", what).isEmpty();
      assertThat(anonymousId).matches(UUID);
      return;
    }
    assertThat(decodedCookie(response, "ajs_anonymous_id")).as("ajs_anonymous_id for %s", what).isEqualTo(anonymousId);
    assertThat(decodedBackupCookie(response)).as("backup cookie for %s", what).isEqualTo(anonymousId);
    JsonValue userId = body.get("userId");
    if (userId != JsonValue.NULL) {
      assertThat(decodedCookie(response, "ajs_user_id")).as("ajs_user_id for %s", what)
          .isEqualTo(body.getString("userId"));
    }
    if ("NEW".equals(body.getString("source"))) {
      assertThat(anonymousId).as("a minted id is a UUID v4").matches(UUID);
    }
  }

  /** The anonymousId in the backup cookie, which must carry a device key. */
  private static String decodedBackupCookie(RawHttp.Response response) {
    for (String header : response.all("Set-Cookie")) {
      if (header.startsWith("ak_anonymous_id=")) {
        var backup = dev.audiencekit.identity.BackupCookie.parse(header.substring(16, header.indexOf(';')));
        assertThat(backup.deviceKey()).as("device key in %s", header).isNotNull();
        return backup.anonymousId().value();
      }
    }
    return null;
  }

  private static String decodedCookie(RawHttp.Response response, String name) {
    for (String header : response.all("Set-Cookie")) {
      if (header.startsWith(name + "=")) {
        String value = header.substring(name.length() + 1, header.indexOf(';'));
        return CookieValue.decode(value).value();
      }
    }
    return null;
  }
}
