package dev.audiencekit.store;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import jakarta.json.spi.JsonProvider;

/**
 * The mirror in a SQL database reached through a {@link DataSource}: PostgreSQL and H2 are tested;
 * another database works when it understands the portable statements used for it (plain
 * {@code UPDATE}-then-{@code INSERT} upserts) and its tables were created from
 * {@code schema-postgresql.sql} by hand.
 *
 * <p>Tables (see {@code schema-postgresql.sql} / {@code schema-h2.sql} next to this class, which are
 * also what this class runs): {@code audiencekit_identity} and {@code audiencekit_fingerprint_link}.
 * They are created on first use when missing; that is retried on every call until it succeeds, so a
 * database that is down at start-up is fine.
 *
 * <p>Upserts: PostgreSQL {@code INSERT ... ON CONFLICT DO UPDATE}; H2 {@code MERGE}; others update,
 * then insert. {@link #expire} deletes at most {@value #EXPIRE_BATCH} rows per statement, each in its
 * own transaction (PostgreSQL by {@code ctid}, others by primary key), so no table is locked for long.
 * Every statement has a query timeout. Every method throws {@link StoreException} on failure.
 */
public final class JdbcStore implements IdentityStore {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();

  /** Rows deleted per statement by {@link #expire}. */
  public static final int EXPIRE_BATCH = 1000;
  /** Batches per {@link #expire} call at most; the next periodic run continues. */
  static final int EXPIRE_MAX_BATCHES = 1000;

  /** PostgreSQL advisory lock key held while the schema is created ("audiencekit" in ASCII, truncated). */
  static final long SCHEMA_LOCK = 0x61756469656e63L;
  static final String IDENTITY = "audiencekit_identity";
  static final String LINK = "audiencekit_fingerprint_link";
  private static final String COLUMNS =
      "anonymous_id, user_id, group_id, user_traits, group_traits, successor, updated_at, owners";
  /**
   * Columns added after the first schema, each with the statement that adds it to an existing table
   * (run at start-up when the column is missing; {@code ADD COLUMN IF NOT EXISTS} is understood by
   * PostgreSQL 9.6+ and H2 2.x).
   */
  private static final List<String> MIGRATIONS = List.of(
      "ALTER TABLE " + "audiencekit_identity" + " ADD COLUMN IF NOT EXISTS owners VARCHAR(400)");

  enum Dialect { POSTGRESQL, H2, GENERIC }

  private final DataSource dataSource;
  private final AutoCloseable onClose;
  private final int queryTimeoutSeconds;
  private volatile Dialect dialect;
  private volatile boolean schemaReady;

  /**
   * @param dataSource   where the tables live
   * @param queryTimeout the longest any one statement may run (rounded up to whole seconds)
   * @param onClose      closed by {@link #close()} (the pool this store owns), or {@code null} when the
   *                     data source belongs to someone else (a container's JNDI resource)
   */
  public JdbcStore(DataSource dataSource, Duration queryTimeout, AutoCloseable onClose) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    this.onClose = onClose;
  }

  /** A store over a data source it does not own, with a 5 second query timeout. */
  public JdbcStore(DataSource dataSource) {
    this(dataSource, Duration.ofSeconds(5), null);
  }

  /** A failed database call (the SQL state and message are kept; no values are in the message). */
  public static final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreException(String what, Throwable cause) {
      super(what + " failed: " + cause.getMessage(), cause);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection of the pool. A pool may hand out connections with auto-commit off
   * (a container's {@code defaultAutoCommit=false}): what the work did is then committed here, or rolled
   * back when it failed, so a write is never left for the pool to roll back without a word. A commit
   * that fails fails the call.
   */
  private <T> T withConnection(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      try {
        if (!schemaReady) {
          ensureSchema(c);
        }
        T result = work.run(c);
        if (!c.getAutoCommit()) {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(what, e);
    }
  }

  /** Ends a failed transaction; a rollback that fails too is kept with the first failure. */
  private static void rollbackQuietly(Connection c, Exception failure) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setQueryTimeout(queryTimeoutSeconds);
    return ps;
  }

  // ---- schema ----

  private synchronized void ensureSchema(Connection c) throws SQLException {
    if (schemaReady) {
      return;
    }
    if (dialect == null) {
      dialect = detect(c.getMetaData().getDatabaseProductName());
    }
    if (!tablesExist(c)) {
      List<String> statements = script(dialect == Dialect.H2 ? "schema-h2.sql" : "schema-postgresql.sql");
      boolean autoCommit = c.getAutoCommit();
      try {
        for (int attempt = 1; ; attempt++) {
          try {
            createSchema(c, statements);
            break;
          } catch (SQLException e) {
            // Another node may have created the tables at the same moment; look again, then retry.
            if (tablesExist(c)) {
              break;
            }
            if (attempt >= 3) {
              throw e;
            }
          }
        }
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
    migrate(c);
    schemaReady = true;
  }

  /**
   * Runs the script. On PostgreSQL in one transaction under an advisory lock, so nodes starting together
   * create the schema one after the other (concurrent {@code CREATE ... IF NOT EXISTS} can still
   * collide in PostgreSQL's catalog).
   */
  private void createSchema(Connection c, List<String> statements) throws SQLException {
    if (dialect != Dialect.POSTGRESQL) {
      c.setAutoCommit(true);
      runScript(c, List.of(), statements);
      return;
    }
    c.setAutoCommit(false);
    try {
      runScript(c, List.of("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")"), statements);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private void runScript(Connection c, List<String> before, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(Math.max(queryTimeoutSeconds, 30));
      for (String sql : before) {
        s.execute(sql);
      }
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Adds the columns that tables created by an earlier version lack. */
  private void migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.setQueryTimeout(queryTimeoutSeconds);
      s.executeQuery("SELECT owners FROM " + IDENTITY + " WHERE 1 = 0").close();
      return;
    } catch (SQLException missing) {
      // an older table: add the column below
    }
    boolean autoCommit = c.getAutoCommit();
    try {
      c.setAutoCommit(true);
      runScript(c, List.of(), MIGRATIONS);
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private boolean tablesExist(Connection c) {
    for (String table : List.of(IDENTITY, LINK)) {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(queryTimeoutSeconds);
        s.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        return false;
      }
    }
    return true;
  }

  static Dialect detect(String productName) {
    String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return Dialect.POSTGRESQL;
    }
    if (p.equals("h2")) {
      return Dialect.H2;
    }
    return Dialect.GENERIC;
  }

  /** The statements of a shipped schema script: '--' comment lines dropped, split at ';' line ends. */
  static List<String> script(String resource) {
    try (InputStream in = JdbcStore.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the audiencekit jar");
      }
      List<String> out = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("--")) {
          continue;
        }
        current.append(t).append('\n');
        if (t.endsWith(";")) {
          current.setLength(current.length() - 2); // ";\n"
          out.add(current.toString());
          current.setLength(0);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- records ----

  @Override
  public IdentityRecord find(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    return withConnection("find", c -> {
      try (PreparedStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM " + IDENTITY + " WHERE anonymous_id = ?")) {
        ps.setString(1, anonymousId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          return new IdentityRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              json(rs.getString(4)), json(rs.getString(5)), owners(rs.getString(8)),
              Successor.decode(rs.getString(6)), instant(rs, 7));
        }
      }
    });
  }

  @Override
  public void save(IdentityRecord r) {
    withConnection("save", c -> {
      switch (dialect) {
        case POSTGRESQL -> execute(c, "INSERT INTO " + IDENTITY + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (anonymous_id) DO UPDATE SET user_id = EXCLUDED.user_id, group_id = EXCLUDED.group_id, "
            + "user_traits = EXCLUDED.user_traits, group_traits = EXCLUDED.group_traits, "
            + "successor = EXCLUDED.successor, updated_at = EXCLUDED.updated_at, owners = EXCLUDED.owners", r, true);
        case H2 -> {
          try {
            execute(c, "MERGE INTO " + IDENTITY + " (" + COLUMNS + ") KEY (anonymous_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r, true);
          } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
              throw e;
            }
            saveGeneric(c, r); // a concurrent MERGE inserted the same key first
          }
        }
        default -> saveGeneric(c, r);
      }
      return null;
    });
  }

  private void saveGeneric(Connection c, IdentityRecord r) throws SQLException {
    String update = "UPDATE " + IDENTITY + " SET user_id = ?, group_id = ?, user_traits = ?, group_traits = ?, "
        + "successor = ?, updated_at = ?, owners = ? WHERE anonymous_id = ?";
    if (execute(c, update, r, false) > 0) {
      return;
    }
    try {
      execute(c, "INSERT INTO " + IDENTITY + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r, true);
    } catch (SQLException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
      execute(c, update, r, false);
    }
  }

  /** Binds a record with the key first ({@code keyFirst}) or last (UPDATE ... WHERE key). */
  private int execute(Connection c, String sql, IdentityRecord r, boolean keyFirst) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql)) {
      int i = 1;
      if (keyFirst) {
        ps.setString(i++, r.anonymousId());
      }
      ps.setString(i++, r.userId());
      ps.setString(i++, r.groupId());
      ps.setString(i++, r.userTraits().toString());
      ps.setString(i++, r.groupTraits().toString());
      ps.setString(i++, Successor.encode(r.successor()));
      ps.setObject(i++, timestamp(r.updatedAt()));
      ps.setString(i++, r.owners().isEmpty() ? null : String.join(",", r.owners()));
      if (!keyFirst) {
        ps.setString(i, r.anonymousId());
      }
      return ps.executeUpdate();
    }
  }

  @Override
  public void delete(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    withConnection("delete", c -> {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        update(c, "DELETE FROM " + LINK + " WHERE anonymous_id = ?", anonymousId);
        update(c, "DELETE FROM " + IDENTITY + " WHERE anonymous_id = ?", anonymousId);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
      return null;
    });
  }

  // ---- links ----

  @Override
  public void link(String fingerprint, String anonymousId, Instant seen) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(anonymousId, "anonymousId");
    Objects.requireNonNull(seen, "seen");
    withConnection("link", c -> {
      switch (dialect) {
        case POSTGRESQL -> update(c, "INSERT INTO " + LINK + " (fingerprint, anonymous_id, last_seen) VALUES (?, ?, ?) "
            + "ON CONFLICT (fingerprint, anonymous_id) DO UPDATE SET last_seen = EXCLUDED.last_seen "
            + "WHERE " + LINK + ".last_seen < EXCLUDED.last_seen", fingerprint, anonymousId, timestamp(seen));
        case H2 -> {
          try {
            update(c, "MERGE INTO " + LINK + " t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(256)), "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE))) s(fingerprint, anonymous_id, last_seen) "
                + "ON t.fingerprint = s.fingerprint AND t.anonymous_id = s.anonymous_id "
                + "WHEN MATCHED AND t.last_seen < s.last_seen THEN UPDATE SET last_seen = s.last_seen "
                + "WHEN NOT MATCHED THEN INSERT (fingerprint, anonymous_id, last_seen) "
                + "VALUES (s.fingerprint, s.anonymous_id, s.last_seen)", fingerprint, anonymousId, timestamp(seen));
          } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
              throw e;
            }
            linkGeneric(c, fingerprint, anonymousId, seen);
          }
        }
        default -> linkGeneric(c, fingerprint, anonymousId, seen);
      }
      // A device seen again keeps its record alive (at most one write a day per record).
      update(c, "UPDATE " + IDENTITY + " SET updated_at = ? WHERE anonymous_id = ? AND updated_at < ?",
          timestamp(seen), anonymousId, timestamp(seen.minus(java.time.Duration.ofDays(1))));
      return null;
    });
  }

  private void linkGeneric(Connection c, String fingerprint, String anonymousId, Instant seen) throws SQLException {
    String update = "UPDATE " + LINK + " SET last_seen = ? WHERE fingerprint = ? AND anonymous_id = ? AND last_seen < ?";
    OffsetDateTime at = timestamp(seen);
    if (update(c, update, at, fingerprint, anonymousId, at) > 0) {
      return;
    }
    try {
      update(c, "INSERT INTO " + LINK + " (fingerprint, anonymous_id, last_seen) VALUES (?, ?, ?)",
          fingerprint, anonymousId, at);
    } catch (SQLException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
      update(c, update, at, fingerprint, anonymousId, at); // it exists: either newer already, or now moved
    }
  }

  @Override
  public Instant lastSeen(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    return withConnection("lastSeen", c -> {
      try (PreparedStatement ps = prepare(c, "SELECT MAX(last_seen) FROM " + LINK + " WHERE anonymous_id = ?")) {
        ps.setString(1, anonymousId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || rs.getObject(1) == null) {
            return null;
          }
          return instant(rs, 1);
        }
      }
    });
  }

  @Override
  public void unlink(String fingerprint, String anonymousId) {
    withConnection("unlink", c ->
        update(c, "DELETE FROM " + LINK + " WHERE fingerprint = ? AND anonymous_id = ?", fingerprint, anonymousId));
  }

  @Override
  public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return withConnection("links", c -> {
      try (PreparedStatement ps = prepare(c, "SELECT anonymous_id, last_seen FROM " + LINK
          + " WHERE fingerprint = ? AND last_seen >= ? ORDER BY last_seen DESC, anonymous_id")) {
        ps.setMaxRows(limit);
        ps.setString(1, fingerprint);
        ps.setObject(2, timestamp(since));
        List<FingerprintLink> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next() && out.size() < limit) {
            out.add(new FingerprintLink(rs.getString(1), instant(rs, 2)));
          }
        }
        return List.copyOf(out);
      }
    });
  }

  // ---- expiry ----

  @Override
  public int expire(Instant cutoff) {
    OffsetDateTime at = timestamp(cutoff);
    return withConnection("expire", c -> {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true); // every batch is its own short transaction
      }
      return expireTable(c, LINK, "last_seen", List.of("fingerprint", "anonymous_id"), at)
          + expireTable(c, IDENTITY, "updated_at", List.of("anonymous_id"), at);
    });
  }

  private int expireTable(Connection c, String table, String column, List<String> key, OffsetDateTime cutoff)
      throws SQLException {
    int total = 0;
    for (int batch = 0; batch < EXPIRE_MAX_BATCHES; batch++) {
      int selected;
      if (dialect == Dialect.POSTGRESQL) {
        selected = update(c, "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
            + " WHERE " + column + " < ? LIMIT " + EXPIRE_BATCH + ")) AND " + column + " < ?", cutoff, cutoff);
        total += selected;
      } else {
        int[] selectedDeleted = expireByKeys(c, table, column, key, cutoff);
        selected = selectedDeleted[0];
        total += selectedDeleted[1];
      }
      if (selected < EXPIRE_BATCH) {
        break;
      }
    }
    return total;
  }

  /** One batch by primary key: {selected, deleted} (rows refreshed in between are selected, not deleted). */
  private int[] expireByKeys(Connection c, String table, String column, List<String> key, OffsetDateTime cutoff)
      throws SQLException {
    List<String[]> keys = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, "SELECT " + String.join(", ", key) + " FROM " + table
        + " WHERE " + column + " < ?")) {
      ps.setMaxRows(EXPIRE_BATCH);
      ps.setObject(1, cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && keys.size() < EXPIRE_BATCH) {
          String[] k = new String[key.size()];
          for (int i = 0; i < k.length; i++) {
            k[i] = rs.getString(i + 1);
          }
          keys.add(k);
        }
      }
    }
    if (keys.isEmpty()) {
      return new int[] {0, 0};
    }
    StringBuilder where = new StringBuilder();
    for (String k : key) {
      where.append(k).append(" = ? AND ");
    }
    int deleted = 0;
    try (PreparedStatement ps = prepare(c, "DELETE FROM " + table + " WHERE " + where + column + " < ?")) {
      for (String[] k : keys) {
        for (int i = 0; i < k.length; i++) {
          ps.setString(i + 1, k[i]);
        }
        ps.setObject(k.length + 1, cutoff);
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        deleted += n == Statement.SUCCESS_NO_INFO ? 1 : Math.max(n, 0);
      }
    }
    return new int[] {keys.size(), deleted};
  }

  @Override
  public void close() {
    if (onClose != null) {
      try {
        onClose.close();
      } catch (Exception e) {
        throw new StoreException("close", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcStore[" + (dialect == null ? "not yet connected" : dialect.name().toLowerCase(Locale.ROOT)) + "]";
  }

  // ---- helpers ----

  private int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static boolean isDuplicateKey(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static List<String> owners(String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(text.split(","));
  }

  private static JsonObject json(String text) {
    if (text == null || text.isEmpty()) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    try (JsonReader reader = JSON_P.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }
}
