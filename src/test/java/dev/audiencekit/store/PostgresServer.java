package dev.audiencekit.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests.
 *
 * <p>{@link #shared()}: the server named by {@code AUDIENCEKIT_TEST_PG_URL} (with
 * {@code AUDIENCEKIT_TEST_PG_USER} / {@code AUDIENCEKIT_TEST_PG_PASSWORD}) when that is set, else a
 * throwaway cluster started once per test JVM: {@code initdb} + {@code pg_ctl} on a free loopback port
 * in a temporary directory (through {@code runuser -u postgres} when the tests run as root), stopped and
 * deleted after the tests (register {@code @ExtendWith(PostgresServer.Lifecycle.class)}; a shutdown
 * hook is the fallback). {@link #startNew()} always starts a private cluster, which a fault test may
 * {@link #stop()} and {@link #start()} at will.
 *
 * <p>When no server can be had the tests FAIL, never skip, with a message saying to install PostgreSQL.
 * Binaries are looked for in {@code AUDIENCEKIT_TEST_PG_BIN}, {@code /usr/lib/postgresql/<version>/bin}
 * (15 first) and the {@code PATH}.
 *
 * <p>Each test gets its own schema ({@link #newSchema()}), so tests never see each other's rows.
 */
public final class PostgresServer implements AutoCloseable {
  static final String ENV_URL = "AUDIENCEKIT_TEST_PG_URL";
  static final String ENV_USER = "AUDIENCEKIT_TEST_PG_USER";
  static final String ENV_PASSWORD = "AUDIENCEKIT_TEST_PG_PASSWORD";
  static final String ENV_BIN = "AUDIENCEKIT_TEST_PG_BIN";
  private static final String HOW_TO_FIX = "PostgreSQL is needed for the store tests: install it "
      + "(Debian/Ubuntu: apt-get install -y postgresql) so that initdb and pg_ctl exist, or set " + ENV_URL
      + " (and " + ENV_USER + ", " + ENV_PASSWORD + ") to a server where the tests may create schemas.";

  private static PostgresServer shared;

  private final String url;
  private final String user;
  private final String password;
  private final Path dir;
  private final Path bin;
  private final int port;
  private boolean running;

  private PostgresServer(String url, String user, String password, Path dir, Path bin, int port) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  /** The server shared by every test of this JVM (see the class comment). */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      String envUrl = System.getenv(ENV_URL);
      if (envUrl != null && !envUrl.isBlank()) {
        shared = new PostgresServer(envUrl, System.getenv(ENV_USER), System.getenv(ENV_PASSWORD), null, null, -1);
        shared.running = true;
      } else {
        shared = startNew();
        PostgresServer s = shared;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "audiencekit-test-pg-stop"));
      }
    }
    return shared;
  }

  /**
   * The JUnit 5 extension: {@code @ExtendWith(PostgresServer.Lifecycle.class)} starts the shared server
   * before the class and stops it after the last test class of the run (JUnit root store).
   */
  public static final class Lifecycle implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      PostgresServer server = shared();
      context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresServer.class))
          .getOrComputeIfAbsent("server", k -> server); // closed as an AutoCloseable
    }
  }

  /** A new private cluster, started. */
  public static PostgresServer startNew() {
    Path bin = findBinaries();
    Path dir;
    try {
      dir = Files.createTempDirectory("audiencekit-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = freePort();
    PostgresServer server = new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
        "postgres", null, dir, bin, port);
    try {
      if (isRoot()) {
        UserPrincipal postgres;
        try {
          postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (IOException e) {
          throw new AssertionError("running as root but there is no 'postgres' user. " + HOW_TO_FIX, e);
        }
        Files.setOwner(dir, postgres);
      }
      server.run(30, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
          "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
      server.start();
      return server;
    } catch (IOException e) {
      server.deleteDirectory();
      throw new AssertionError("could not start PostgreSQL in " + dir + ": " + e.getMessage() + "\n" + HOW_TO_FIX, e);
    } catch (RuntimeException | AssertionError e) {
      server.deleteDirectory();
      throw e;
    }
  }

  /** Starts a stopped private cluster again, on the same port and data. */
  public synchronized void start() {
    requireOwned();
    if (running) {
      return;
    }
    try {
      run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o",
          "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
              + " -c full_page_writes=off -c max_connections=50",
          "-l", dir.resolve("server.log").toString(), "-w", "-t", "30", "start");
      running = true;
    } catch (IOException e) {
      throw new AssertionError("could not start PostgreSQL: " + e.getMessage() + "\n" + serverLog() + "\n" + HOW_TO_FIX, e);
    }
  }

  /** Stops a private cluster (fast shutdown: open connections are cut). */
  public synchronized void stop() {
    requireOwned();
    if (!running) {
      return;
    }
    try {
      run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
          "-t", "30", "stop");
      running = false;
    } catch (IOException e) {
      throw new AssertionError("could not stop PostgreSQL: " + e.getMessage(), e);
    }
  }

  /** Stops a private cluster and deletes its directory; does nothing to an external server. */
  @Override
  public synchronized void close() {
    if (dir == null) {
      return;
    }
    if (running) {
      try {
        stop();
      } catch (AssertionError e) {
        System.err.println("audiencekit test PostgreSQL: " + e.getMessage());
      }
    }
    deleteDirectory();
  }

  /** True for a cluster this class started (which {@link #stop()} and {@link #start()} control). */
  public boolean isOwned() {
    return dir != null;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Creates a new, empty schema and returns its name. */
  public String newSchema() {
    String schema = "ak_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new AssertionError("cannot create a schema on " + url + ": " + e.getMessage() + "\n" + HOW_TO_FIX, e);
    }
    return schema;
  }

  /** Drops a schema made by {@link #newSchema()} (ignores a server that is down). */
  public void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // the fault tests stop the server; the cluster is deleted anyway
    }
  }

  /** The JDBC URL whose connections use {@code schema}. */
  public String url(String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /** A plain (unpooled) data source whose connections use {@code schema}. */
  public DataSource dataSource(String schema) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setCurrentSchema(schema);
    ds.setConnectTimeout(2);
    ds.setSocketTimeout(10);
    return ds;
  }

  // ---- helpers ----

  private void requireOwned() {
    if (!isOwned()) {
      throw new UnsupportedOperationException("the server at " + url + " was not started by the tests");
    }
  }

  private void run(int timeoutSeconds, String... command) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    Path output = Files.createTempFile("audiencekit-pg-cmd-", ".txt");
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      boolean done;
      try {
        done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroy();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + full);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish within " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", full) + " exited with " + p.exitValue() + ":\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private String serverLog() {
    try {
      return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  private void deleteDirectory() {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // leave it: it is in the temp directory
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path findBinaries() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv(ENV_BIN);
    if (env != null && !env.isBlank()) {
      candidates.add(Paths.get(env));
    }
    candidates.add(Paths.get("/usr/lib/postgresql/15/bin"));
    Path lib = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        versions.sorted(Comparator.reverseOrder()).forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!p.isEmpty()) {
        candidates.add(Paths.get(p));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c.toAbsolutePath();
      }
    }
    throw new AssertionError("initdb/pg_ctl not found (looked in " + ENV_BIN + ", /usr/lib/postgresql/*/bin, PATH). "
        + HOW_TO_FIX);
  }

  @Override
  public String toString() {
    return "PostgresServer[" + url + (isOwned() ? ", owned" : "") + "]";
  }
}
