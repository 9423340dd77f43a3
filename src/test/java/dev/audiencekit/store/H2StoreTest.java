package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class H2StoreTest extends IdentityStoreContract {
  JdbcDataSource dataSource;

  @Override
  protected IdentityStore newStore() {
    dataSource = new JdbcDataSource();
    // A private in-memory database per test, kept until the store closes.
    dataSource.setURL("jdbc:h2:mem:ak-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return new JdbcStore(dataSource, Duration.ofSeconds(5), () -> {
      try (Connection c = dataSource.getConnection()) {
        c.createStatement().execute("SHUTDOWN");
      }
    });
  }

  @Test
  void createsBothTablesAndTheirIndexesOnFirstUse() throws Exception {
    store.find("x");
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES "
            + "WHERE INDEX_NAME LIKE 'AUDIENCEKIT_%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @Test
  void anExistingSchemaIsUsedAsItIs() {
    store.save(record("a-1", "u-1", T0));
    IdentityStore second = new JdbcStore(dataSource);
    assertThat(second.find("a-1").userId()).isEqualTo("u-1");
  }

  @Test
  void aTableOfAnEarlierVersionGainsTheOwnersColumnAndKeepsItsRows() throws Exception {
    JdbcStoreMigration.assertMigrates(dataSource, "CHARACTER LARGE OBJECT");
  }

  @Test
  void dialectIsDetectedFromTheProductName() {
    assertThat(JdbcStore.detect("PostgreSQL")).isEqualTo(JdbcStore.Dialect.POSTGRESQL);
    assertThat(JdbcStore.detect("H2")).isEqualTo(JdbcStore.Dialect.H2);
    assertThat(JdbcStore.detect("MySQL")).isEqualTo(JdbcStore.Dialect.GENERIC);
  }

  @Test
  void shippedScriptsSplitIntoFiveStatements() {
    assertThat(JdbcStore.script("schema-h2.sql")).hasSize(5).allMatch(s -> s.startsWith("CREATE"));
    assertThat(JdbcStore.script("schema-postgresql.sql")).hasSize(5).noneMatch(s -> s.contains(";"));
  }
}
