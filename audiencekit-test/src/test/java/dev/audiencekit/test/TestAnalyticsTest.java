package dev.audiencekit.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.AnalyticsContext;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TestAnalytics} around a plain servlet on embedded Tomcat: the servlet finds its context, the
 * events can be read back, nothing lands in the temp directory, and closing stops the filter's threads.
 */
class TestAnalyticsTest {
  @TempDir Path tmp;
  private Tomcat tomcat;
  private TestAnalytics analytics;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(tmp.resolve("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context context = tomcat.addContext("", tmp.toString());
    Tomcat.addServlet(context, "orders", new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
          analytics.handle(request, response, (req, res) -> {
            AnalyticsContext analyticsContext = AnalyticsContext.get(req);
            analyticsContext.track("Order Placed", Map.of("item", "mug"));
            res.getWriter().write(analyticsContext.getAnonymousId());
          });
        } catch (jakarta.servlet.ServletException e) {
          throw new IOException(e);
        }
      }
    });
    context.addServletMappingDecoded("/orders", "orders");
    tomcat.start();
    analytics = TestAnalytics.start(context.getServletContext());
    base = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    analytics.close();
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void codeRunInsideTheFilterFindsItsContextAndTheResponseGetsTheCookies() throws Exception {
    HttpResponse<String> response = post("/orders");

    assertThat(response.body()).isNotBlank();
    assertThat(response.headers().allValues("Set-Cookie"))
        .anyMatch(h -> h.startsWith("ajs_anonymous_id=" + response.body() + ";"))
        .anyMatch(h -> h.matches("ak_anonymous_id=[A-Za-z0-9_-]{22}\\." + response.body() + ";.*") && h.contains("HttpOnly"));
  }

  @Test
  void eventsAnswersWhatTheRequestSent() throws Exception {
    String anonymousId = post("/orders").body();

    List<JsonObject> tracks = analytics.events("track");

    assertThat(tracks).hasSize(1);
    assertThat(tracks.get(0).getString("event")).isEqualTo("Order Placed");
    assertThat(tracks.get(0).getString("anonymousId")).isEqualTo(anonymousId);
    assertThat(tracks.get(0).getJsonObject("properties").getString("item")).isEqualTo("mug");
  }

  @Test
  void clearEventsForgetsWhatWasRecorded() throws Exception {
    post("/orders");

    analytics.clearEvents();

    assertThat(analytics.events()).isEmpty();
  }

  @Test
  void nothingIsWrittenToTheTempDirectories() throws Exception {
    post("/orders");
    analytics.events();

    ServletContext servletContext = ((Context) tomcat.getHost().findChild("")).getServletContext();
    Path servletTemp = ((File) servletContext.getAttribute(ServletContext.TEMPDIR)).toPath();
    assertThat(spoolFolders(servletTemp)).isEmpty();
    assertThat(spoolFolders(Path.of(System.getProperty("java.io.tmpdir")))).isEmpty();
  }

  @Test
  void closeStopsTheFiltersThreads() throws Exception {
    post("/orders");
    analytics.events();

    analytics.close();

    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
        && t.getName().startsWith("audiencekit-" + TestAnalytics.FILTER_NAME + "-"));
  }

  private HttpResponse<String> post(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<Path> spoolFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("audiencekit-spool")).toList();
    }
  }
}
