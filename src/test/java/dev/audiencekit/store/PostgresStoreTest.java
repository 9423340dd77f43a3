package dev.audiencekit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on a real PostgreSQL server (see {@link PostgresServer}); fails when there is none. */
@ExtendWith(PostgresServer.Lifecycle.class)
class PostgresStoreTest extends IdentityStoreContract {
  DataSource dataSource;
  String schema;

  @Override
  protected IdentityStore newStore() {
    PostgresServer server = PostgresServer.shared();
    schema = server.newSchema();
    HikariConfig config = new HikariConfig();
    config.setDataSource(server.dataSource(schema));
    config.setMaximumPoolSize(4);
    HikariDataSource pool = new HikariDataSource(config);
    dataSource = pool;
    return new JdbcStore(pool, Duration.ofSeconds(5), () -> {
      pool.close();
      server.dropSchema(schema);
    });
  }
  @org.junit.jupiter.api.Test
  void aTableOfAnEarlierVersionGainsTheOwnersColumnAndKeepsItsRows() throws Exception {
    JdbcStoreMigration.assertMigrates(dataSource, "TEXT");
  }


  @Test
  void runsOnPostgresqlWithTheShippedSchema() throws Exception {
    store.save(record("a-1", null, T0));
    assertThat(store.toString()).isEqualTo("JdbcStore[postgresql]");
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = '"
            + schema + "' AND indexname LIKE 'audiencekit_%' AND indexname NOT LIKE '%_pkey'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }

  @Test
  void severalNodesCreatingTheSchemaAtOnceAllWork() throws Exception {
    int nodes = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        String id = "node-" + i;
        done.add(pool.submit(() -> {
          start.await();
          new JdbcStore(dataSource).save(record(id, null, T0));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < nodes; i++) {
      assertThat(store.find("node-" + i)).isNotNull();
    }
  }
}
