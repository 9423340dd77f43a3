package dev.audiencekit.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The HikariCP pool of a {@code jdbc:} store. Loaded only when HikariCP is on the classpath. */
final class HikariPool {
  private HikariPool() {}

  static JdbcStore open(String url, String user, String password, String driverClassName) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("audiencekit-store");
    config.setJdbcUrl(url);
    config.setDriverClassName(driverClassName);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(Stores.POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(Stores.CONNECTION_TIMEOUT_MS);
    config.setValidationTimeout(1_000);
    // Start even when the database is down: the store fails open per call and recovers by itself.
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    return new JdbcStore(pool, Stores.QUERY_TIMEOUT, pool);
  }
}
