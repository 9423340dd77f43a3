package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** The upgrade path of {@link JdbcStore}'s tables: what a table created by an earlier version becomes. */
final class JdbcStoreMigration {
  private JdbcStoreMigration() {}

  /**
   * Creates the tables as the version before record owners did (in a fresh schema of {@code dataSource}),
   * with one row, then opens a store on them: the row is read without owners, and owners are kept from
   * then on.
   */
  static void assertMigrates(DataSource dataSource, String traitsType) throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS audiencekit_identity");
      s.execute("DROP TABLE IF EXISTS audiencekit_fingerprint_link");
      s.execute("CREATE TABLE audiencekit_identity (anonymous_id VARCHAR(256) NOT NULL PRIMARY KEY, "
          + "user_id VARCHAR(256), group_id VARCHAR(256), user_traits " + traitsType + " NOT NULL, group_traits "
          + traitsType + " NOT NULL, successor VARCHAR(256), updated_at TIMESTAMP WITH TIME ZONE NOT NULL)");
      s.execute("CREATE TABLE audiencekit_fingerprint_link (fingerprint VARCHAR(64) NOT NULL, "
          + "anonymous_id VARCHAR(256) NOT NULL, last_seen TIMESTAMP WITH TIME ZONE NOT NULL, "
          + "PRIMARY KEY (fingerprint, anonymous_id))");
      s.execute("INSERT INTO audiencekit_identity VALUES ('old-1', 'u-old', NULL, '{\"plan\":\"pro\"}', '{}', '', "
          + "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')");
    }
    JdbcStore store = new JdbcStore(dataSource, Duration.ofSeconds(5), null);
    IdentityRecord old = store.find("old-1");
    assertThat(old.userId()).isEqualTo("u-old");
    assertThat(old.owners()).isEmpty();
    assertThat(old.successor()).isEqualTo(Successor.RESET);
    IdentityRecord owned = IdentityRecord.of("new-1", "u-new", null, null, null, List.of("owner-hash"),
        Instant.parse("2026-02-01T00:00:00Z"));
    store.save(owned);
    assertThat(store.find("new-1")).isEqualTo(owned);
  }
}
