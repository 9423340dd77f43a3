package dev.audiencekit;

import static dev.audiencekit.FilterContract.json;
import static dev.audiencekit.FilterContract.text;
import static dev.audiencekit.RestoreContract.assertSetsIdCookies;
import static dev.audiencekit.RestoreContract.counter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.store.PostgresServer;
import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two application nodes (two embedded servers, two filter instances) on one real PostgreSQL, as a
 * cluster behind a load balancer: the same browser (same cookies, same fingerprint) talks to either node,
 * and what one node learned is found again on the other. The PostgreSQL cluster is private to the class,
 * so the outage test can stop and start it.
 *
 * <p>Writes reach the database from each node's write-behind queue (flushed every 200 ms): SPEC §5
 * promises the other nodes see them within one second. Tests wait for the rows in the database (not by
 * asking the other node, whose failed lookups would themselves write links) for at most
 * {@link #VISIBLE_WITHIN}: the promised second plus slack for a loaded build machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContract {
  static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);
  static final String SECRET = "cluster-contract-secret-0123456789";
  private PostgresServer server;
  private DataSource database;
  private Container nodeA;
  private Container nodeB;

  abstract Container.Kind kind();

  @BeforeAll
  void start() {
    server = PostgresServer.startNew();
    String schema = server.newSchema();
    database = server.dataSource(schema);
    Map<String, String> params = TestApp.defaults();
    params.put("store", server.url(schema));
    params.put("store.user", server.user());
    if (server.password() != null) {
      params.put("store.password", server.password());
    }
    params.put("secret", SECRET);
    params.put("fingerprint.minDormancyHours", "0"); // the wait itself is tested on a test clock elsewhere
    // Generous for a loaded 2-core build machine; the outage test shows requests do not wait on a dead store.
    params.put("store.timeoutMs", "1000");
    nodeA = Container.start(kind(), Container.testWebapp(), new TestApp(params));
    nodeB = Container.start(kind(), Container.testWebapp(), new TestApp(params));
    // First lookups: the pools connect and the first node creates the tables.
    for (Container node : List.of(nodeA, nodeB)) {
      json(new Browser(node.base()).get("/probe"));
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> rows("SELECT count(*) FROM audiencekit_identity") >= 0);
  }

  @AfterAll
  void stop() {
    for (Container node : new Container[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  /** A new device, talking to node A first. */
  Browser device() {
    return new Browser(nodeA.base());
  }

  Browser onA(Browser browser) {
    return browser.via(nodeA.base());
  }

  Browser onB(Browser browser) {
    return browser.via(nodeB.base());
  }

  long rows(String sql, Object... args) throws SQLException {
    try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Waits until the shared database holds the record of {@code anonymousId} with {@code userId}, and a link. */
  void awaitStored(String anonymousId, String userId, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
        rows("SELECT count(*) FROM audiencekit_identity WHERE anonymous_id = ? AND user_id = ?", anonymousId, userId) == 1
            && rows("SELECT count(*) FROM audiencekit_fingerprint_link WHERE anonymous_id = ?", anonymousId) >= 1);
  }

  /** Waits until the shared database holds the record of {@code anonymousId} with {@code userId}. */
  void awaitRecord(String anonymousId, String userId, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
        rows("SELECT count(*) FROM audiencekit_identity WHERE anonymous_id = ? AND user_id = ?", anonymousId, userId) == 1);
  }

  void awaitLinked(String anonymousId) {
    await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
        rows("SELECT count(*) FROM audiencekit_fingerprint_link WHERE anonymous_id = ?", anonymousId) >= 1);
  }

  void awaitForgotten(String anonymousId) {
    await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
        rows("SELECT count(*) FROM audiencekit_identity WHERE anonymous_id = ?", anonymousId) == 0
            && rows("SELECT count(*) FROM audiencekit_fingerprint_link WHERE anonymous_id = ?", anonymousId) == 0);
  }

  /** Identifies a new device on node A and comes back with the cookie on node B; returns the anonymousId. */
  String identifiedOnAThenBackOnB(Browser browser, String userId) {
    JsonObject identified = json(onA(browser).get("/probe?do=identify&userId=" + userId + "&trait=plan:pro"));
    assertThat(identified.getString("source")).isEqualTo("NEW");
    String id = identified.getString("anonymousId");
    JsonObject back = json(onB(browser).get("/probe"));
    assertThat(back.getString("source")).isEqualTo("COOKIE");
    assertThat(back.getString("anonymousId")).isEqualTo(id);
    return id;
  }

  // ------------------------------------------------------------------ restore across nodes

  @Test
  void anAnonymousIdentityLearnedOnOneNodeIsRestoredByFingerprintOnTheOther() {
    Browser browser = device();
    String id = json(onA(browser).get("/probe")).getString("anonymousId");
    assertThat(json(onB(browser).get("/probe")).getString("source")).isEqualTo("COOKIE");
    awaitLinked(id);
    browser.clearCookies();

    Browser.Response response = onA(browser).get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("FINGERPRINT");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    assertThat(text(state, "userId")).isNull();
    assertSetsIdCookies(response, id);
  }

  @Test
  void anIdentifiedIdentityIsNeverRestoredByFingerprintOnEitherNode() {
    Browser browser = device();
    String id = identifiedOnAThenBackOnB(browser, "u-cluster");
    awaitStored(id, "u-cluster", VISIBLE_WITHIN);
    browser.clearCookies();

    JsonObject state = json(onB(browser).get("/probe"));

    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(state, "userId")).isNull();
    assertThat(state.getJsonObject("traits")).isEmpty();
  }

  @Test
  void userLostWithTheReadableCookiesComesBackFromTheSharedStoreOnTheOtherNode() {
    Browser browser = device();
    String id = json(onA(browser).get("/probe?do=identify&userId=u-backup")).getString("anonymousId");
    awaitRecord(id, "u-backup", VISIBLE_WITHIN);
    browser.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");

    Browser.Response response = onB(browser).get("/probe");

    JsonObject state = json(response);
    assertThat(state.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(state.getString("anonymousId")).isEqualTo(id);
    assertThat(text(state, "userId")).isEqualTo("u-backup");
    assertThat(response.setCookie("ajs_user_id")).startsWith("ajs_user_id=u-backup;");
  }

  @Test
  void resetOnOneNodeIsNotRestoredOnTheOther() {
    Browser browser = device();
    String id = identifiedOnAThenBackOnB(browser, "u-leaving");
    awaitStored(id, "u-leaving", VISIBLE_WITHIN);

    assertThat(onA(browser).get("/logout").status()).isEqualTo(200);
    assertThat(browser.cookies()).doesNotContainKeys("ajs_anonymous_id", "ajs_user_id");
    assertThat(browser.cookie("ak_anonymous_id")).matches("[A-Za-z0-9_-]{22}\\."); // a new device key, no id
    awaitForgotten(id);

    JsonObject next = json(onB(browser).get("/probe"));
    assertThat(next.getString("source")).isEqualTo("NEW");
    assertThat(next.getString("anonymousId")).isNotEqualTo(id);
    assertThat(text(next, "userId")).isNull();
    assertThat(next.getJsonObject("traits")).isEmpty();
  }

  @Test
  void browsersSharingAFingerprintAcrossNodesNeverGetEachOthersIdentity() {
    String userAgent = RestoreContract.uniqueUserAgent();
    Browser first = device().header("User-Agent", userAgent);
    String firstId = identifiedOnAThenBackOnB(first, "u-first");
    String secondId = UUID.randomUUID().toString();
    Browser second = device().header("User-Agent", userAgent).cookie("ajs_anonymous_id", secondId);
    assertThat(json(onB(second).get("/probe")).getString("source")).isEqualTo("COOKIE");
    awaitStored(firstId, "u-first", VISIBLE_WITHIN);
    awaitLinked(secondId);
    long refusedBefore = counter(nodeA.base(), "restoresRefusedAmbiguous");
    second.clearCookies();

    JsonObject state = json(onA(second).get("/probe"));

    assertThat(state.getString("source")).isEqualTo("NEW");
    assertThat(state.getString("anonymousId")).isNotIn(firstId, secondId);
    assertThat(text(state, "userId")).isNull();
    assertThat(counter(nodeA.base(), "restoresRefusedAmbiguous")).isEqualTo(refusedBefore + 1);
  }

  // ------------------------------------------------------------------ the store goes down and comes back

  /** A request that must answer 200 with both id cookies, whatever the store does. */
  static JsonObject answersWithCookies(Browser browser, String path) {
    Browser.Response response = browser.get(path);
    JsonObject state = json(response);
    assertSetsIdCookies(response, state.getString("anonymousId"));
    return state;
  }

  /** Requests of several kinds, alternating between the nodes: cookies, backup cookie, new devices, identify. */
  void runOfRequests(Browser regular, int count, String label) {
    for (int i = 0; i < count; i++) {
      Browser node = i % 2 == 0 ? onA(regular) : onB(regular);
      answersWithCookies(node, "/probe?do=track&event=" + label + "+" + i);
      Browser fresh = new Browser(i % 2 == 0 ? nodeB.base() : nodeA.base());
      answersWithCookies(fresh, "/probe?do=page&name=" + label);
      fresh.deleteCookie("ajs_anonymous_id");
      JsonObject restored = answersWithCookies(fresh, "/probe?do=identify&userId=u-" + label + "-" + i);
      assertThat(restored.getString("source")).isEqualTo("BACKUP_COOKIE");
    }
  }

  @Test
  void postgresqlStoppedMidRunFailsOpenLogsQuietlyAndRestoresOnceItIsBack() {
    Browser before = device();
    String beforeId = json(onA(before).get("/probe")).getString("anonymousId");
    assertThat(json(onB(before).get("/probe")).getString("source")).isEqualTo("COOKIE");
    awaitLinked(beforeId);
    Browser regular = device();
    answersWithCookies(regular, "/probe");
    long errorsA = counter(nodeA.base(), "storeErrors");
    long errorsB = counter(nodeB.base(), "storeErrors");
    runOfRequests(regular, 4, "healthy");

    Browser during = device();
    String duringId;
    try (LogCapture log = new LogCapture("dev.audiencekit")) {
      server.stop();
      try {
        runOfRequests(regular, 10, "down");
        duringId = answersWithCookies(onA(during), "/probe").getString("anonymousId");
        assertThat(json(onA(during).get("/probe?do=identify&userId=u-during")).getString("anonymousId"))
            .isEqualTo(duringId);
        runOfRequests(regular, 10, "still-down");

        assertThat(counter(nodeA.base(), "storeErrors")).isGreaterThan(errorsA);
        assertThat(counter(nodeB.base(), "storeErrors")).isGreaterThan(errorsB);
        // dozens of failed calls, but at most one WARN per node (rate limited to one per 30 s)
        assertThat(log.warnings()).as("WARN lines: %s", log.warnings()).hasSizeBetween(1, 2);
      } finally {
        server.start();
      }

      // back: the writes queued on node A during the outage arrive, and both nodes read again
      awaitRecord(duringId, "u-during", Duration.ofSeconds(30));
      Browser probeB = device();
      String probeBId = json(onB(probeB).get("/probe?do=identify&userId=u-probe-b")).getString("anonymousId");
      awaitRecord(probeBId, "u-probe-b", Duration.ofSeconds(30));

      before.clearCookies();
      JsonObject restoredBefore = answersWithCookies(onB(before), "/probe");
      assertThat(restoredBefore.getString("source")).isEqualTo("FINGERPRINT");
      assertThat(restoredBefore.getString("anonymousId")).isEqualTo(beforeId);
      assertThat(text(restoredBefore, "userId")).isNull();

      during.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
      JsonObject restoredDuring = answersWithCookies(onB(during), "/probe");
      assertThat(restoredDuring.getString("source")).isEqualTo("BACKUP_COOKIE");
      assertThat(restoredDuring.getString("anonymousId")).isEqualTo(duringId);
      assertThat(text(restoredDuring, "userId")).isEqualTo("u-during");

      assertThat(log.warnings()).hasSizeLessThanOrEqualTo(2);
      assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("works again"));
    }
  }

  /** Collects what the java.util.logging loggers under a name (where System.Logger goes) write. */
  static final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger; // held: JUL keeps loggers only weakly

    LogCapture(String name) {
      logger = Logger.getLogger(name);
      setLevel(Level.ALL);
      logger.addHandler(this);
    }

    List<String> warnings() {
      List<String> out = new ArrayList<>();
      for (LogRecord r : records) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          out.add(r.getLoggerName() + ": " + r.getMessage());
        }
      }
      return out;
    }

    List<String> messages(Level level) {
      return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
