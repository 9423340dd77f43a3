package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code store=jndi:...} on a container pool that hands out connections with auto-commit off (a common
 * default of application-server pools): what the mirror writes must still be committed, so another
 * connection sees it. Without a commit the pool rolls the work back when the connection comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JndiAutoCommitOffOnTomcatTest {
  private static final String DB_URL = "jdbc:h2:mem:jndi-autocommit-off;DB_CLOSE_DELAY=-1";
  private Tomcat tomcat;
  private URI base;

  @BeforeAll
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-jndi-autocommit").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.enableNaming();
    Context context = tomcat.addWebapp("", Container.testWebapp().toString());
    ContextResource resource = new ContextResource();
    resource.setName("jdbc/analytics");
    resource.setType(HikariDataSource.class.getName());
    resource.setProperty("factory", "org.apache.naming.factory.BeanFactory");
    resource.setProperty("jdbcUrl", DB_URL);
    resource.setProperty("autoCommit", "false");
    resource.setProperty("maximumPoolSize", "2");
    context.getNamingResources().addResource(resource);
    Map<String, String> params = TestApp.defaults();
    params.put("store", "jndi:java:comp/env/jdbc/analytics");
    params.put("secret", "jndi-autocommit-secret-0123456789-0123456789");
    params.put("store.timeoutMs", "2000");
    context.addServletContainerInitializer(new TestApp(params), null);
    tomcat.start();
    base = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @AfterAll
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void writesAreCommittedWhenThePoolTurnsAutoCommitOff() throws Exception {
    Browser.Response response = new Browser(base).get("/probe?do=identify&userId=committed-user&trait=plan:pro");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    String anonymousId = Json.createReader(new StringReader(response.body())).readObject().getString("anonymousId");

    JdbcDataSource other = new JdbcDataSource();
    other.setURL(DB_URL);
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> userIdSeenBy(other, anonymousId) != null);
    assertThat(userIdSeenBy(other, anonymousId)).isEqualTo("committed-user");
  }

  /** The stored userId of the record, read over a connection of its own; null when there is no row. */
  private static String userIdSeenBy(JdbcDataSource dataSource, String anonymousId) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT user_id FROM audiencekit_identity WHERE anonymous_id = ?")) {
      statement.setString(1, anonymousId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
