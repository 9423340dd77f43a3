package dev.audiencekit.store;

import dev.audiencekit.config.Credentials;
import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Plugins;
import dev.audiencekit.config.Settings;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ServiceLoader;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Opens the {@link IdentityStore} named by the {@code store} init-param:
 * <ul>
 *   <li>{@code memory}: a {@link MemoryStore} bounded by {@code store.maxEntries};</li>
 *   <li>{@code jdbc:<url>}: a {@link JdbcStore} over a small HikariCP pool (at most
 *       {@value #POOL_SIZE} connections, {@value #CONNECTION_TIMEOUT_MS} ms to get one, no connection
 *       made at start-up) with {@code store.user} / {@code store.password}. HikariCP
 *       ({@code com.zaxxer:HikariCP}) and the database's JDBC driver must be in the WAR;</li>
 *   <li>{@code jndi:<name>}: a {@link JdbcStore} over the container's {@link DataSource} bound under
 *       {@code name} (tried as given, then under {@code java:comp/env/}); the container owns it and
 *       {@code close()} leaves it open;</li>
 *   <li>a class name: a public class implementing {@link IdentityStore} with a public constructor
 *       taking {@link Settings}, or none.</li>
 * </ul>
 * Problems that the configuration can fix throw {@link InvalidSettingException} naming {@code store};
 * a database that is merely down is not one of them (the store fails open per call and recovers).
 */
public final class Stores {
  static final int POOL_SIZE = 4;
  static final int CONNECTION_TIMEOUT_MS = 2_000;
  /** Statement timeout of JDBC stores: bounds how long a background write or abandoned read can hang. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

  private Stores() {}

  /**
   * Opens the configured store.
   *
   * @throws InvalidSettingException naming {@code store} when it cannot be opened as configured
   */
  public static IdentityStore open(Settings settings) {
    String store = settings.store();
    if (store.equals("memory")) {
      return new MemoryStore(settings.storeMaxEntries(), settings.storeMaxBytes());
    }
    if (store.startsWith("jdbc:")) {
      return openJdbc(settings);
    }
    if (store.startsWith("jndi:")) {
      return new JdbcStore(lookup(store, store.substring("jndi:".length())), QUERY_TIMEOUT, null);
    }
    return Plugins.instantiate(Settings.STORE, store, IdentityStore.class, settings);
  }

  private static IdentityStore openJdbc(Settings settings) {
    String url = settings.store();
    String shown = url; // InvalidSettingException masks its credentials
    if (!classExists("com.zaxxer.hikari.HikariDataSource")) {
      throw new InvalidSettingException(Settings.STORE, shown,
          "needs HikariCP (com.zaxxer:HikariCP) on the classpath; add it to the WAR");
    }
    if (!classExists("org.slf4j.LoggerFactory")) {
      throw new InvalidSettingException(Settings.STORE, shown,
          "needs SLF4J (org.slf4j:slf4j-api), which HikariCP logs through; add it to the WAR");
    }
    Driver driver = driverFor(url);
    if (driver == null) {
      throw new InvalidSettingException(Settings.STORE, shown,
          "has no JDBC driver on the classpath that accepts it; add the database's driver to the WAR "
              + "(e.g. org.postgresql:postgresql for jdbc:postgresql:, com.h2database:h2 for jdbc:h2:)");
    }
    try {
      return HikariPool.open(url, settings.storeUser(), settings.storePassword(), driver.getClass().getName());
    } catch (RuntimeException | LinkageError e) {
      throw new InvalidSettingException(Settings.STORE, shown, "could not be set up as a connection pool: "
          + Credentials.mask(String.valueOf(e)));
    }
  }

  /** The driver that accepts {@code url}: registered ones first, then the service loader of the app. */
  static Driver driverFor(String url) {
    try {
      return DriverManager.getDriver(url);
    } catch (SQLException e) {
      // DriverManager may have been initialised by the container before this web application's
      // drivers were visible; look in the application's own class loader too.
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (ClassLoader cl : new ClassLoader[] {loader, Stores.class.getClassLoader()}) {
      if (cl == null) {
        continue;
      }
      for (Driver d : ServiceLoader.load(Driver.class, cl)) {
        try {
          if (d.acceptsURL(url)) {
            return d;
          }
        } catch (SQLException e) {
          // not this one
        }
      }
    }
    return null;
  }

  static DataSource lookup(String value, String name) {
    if (name.isBlank()) {
      throw new InvalidSettingException(Settings.STORE, value, "names no JNDI resource; use jndi:<name>, "
          + "e.g. jndi:java:comp/env/jdbc/analytics");
    }
    Object found = null;
    NamingException failure = null;
    try {
      InitialContext context = new InitialContext();
      try {
        found = context.lookup(name);
      } catch (NamingException e) {
        failure = e;
        if (!name.startsWith("java:")) {
          found = context.lookup("java:comp/env/" + name);
        }
      }
    } catch (NamingException e) {
      failure = failure == null ? e : failure;
    }
    if (found == null) {
      throw new InvalidSettingException(Settings.STORE, value, "names no JNDI resource that can be looked up ("
          + (failure == null ? "nothing bound" : failure.toString()) + "); declare the DataSource in the "
          + "container and a <resource-ref> in web.xml, or use a jdbc: URL");
    }
    if (!(found instanceof DataSource ds)) {
      throw new InvalidSettingException(Settings.STORE, value, "names a " + found.getClass().getName()
          + ", not a javax.sql.DataSource");
    }
    return ds;
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, Stores.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
