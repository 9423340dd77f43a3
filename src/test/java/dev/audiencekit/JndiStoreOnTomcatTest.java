package dev.audiencekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.audiencekit.testing.Browser;
import dev.audiencekit.testing.Container;
import dev.audiencekit.testing.TestApp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code store=jndi:...}: the mirror on a container-managed {@code DataSource}, the usual set-up of a
 * legacy WAR, here an H2 database declared as a Tomcat JNDI resource.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JndiStoreOnTomcatTest {
  private static final String DB_URL = "jdbc:h2:mem:jndi-store;DB_CLOSE_DELAY=-1";
  private Tomcat tomcat;
  private URI base;

  @BeforeAll
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat-jndi").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.enableNaming();
    Context context = tomcat.addWebapp("", Container.testWebapp().toString());
    ContextResource resource = new ContextResource();
    resource.setName("jdbc/analytics");
    resource.setType(JdbcDataSource.class.getName());
    resource.setProperty("factory", "org.apache.naming.factory.BeanFactory");
    resource.setProperty("URL", DB_URL);
    context.getNamingResources().addResource(resource);
    Map<String, String> params = TestApp.defaults();
    params.put("store", "jndi:java:comp/env/jdbc/analytics");
    params.put("secret", "jndi-test-secret-0123456789-0123456789");
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

  private static JsonObject json(Browser.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.createReader(new StringReader(response.body())).readObject();
  }

  @Test
  void identityIsMirroredInTheContainersDataSourceAndGivenBackToItsOwner() throws Exception {
    Browser browser = new Browser(base);
    JsonObject identified = json(browser.get("/probe?do=identify&userId=jndi-user&trait=plan:pro"));
    String anonymousId = identified.getString("anonymousId");
    browser.get("/probe"); // back with its cookie: linked to its fingerprint

    DataSource dataSource = dataSource();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
        count(dataSource, "audiencekit_identity", anonymousId) == 1
            && count(dataSource, "audiencekit_fingerprint_link", anonymousId) == 1);

    browser.deleteCookie("ajs_anonymous_id").deleteCookie("ajs_user_id");
    JsonObject restored = json(browser.get("/probe"));
    assertThat(restored.getString("source")).isEqualTo("BACKUP_COOKIE");
    assertThat(restored.getString("anonymousId")).isEqualTo(anonymousId);
    assertThat(restored.getString("userId")).isEqualTo("jndi-user");
    assertThat(restored.getJsonObject("traits").getString("plan")).isEqualTo("pro");
  }


  private static DataSource dataSource() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(DB_URL);
    return dataSource;
  }

  private static int count(DataSource dataSource, String table, String anonymousId) throws Exception {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT COUNT(*) FROM " + table + " WHERE anonymous_id = '" + anonymousId + "'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
