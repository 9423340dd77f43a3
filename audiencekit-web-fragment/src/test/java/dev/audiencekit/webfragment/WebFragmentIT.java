package dev.audiencekit.webfragment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web application without web.xml on embedded Tomcat: with the audiencekit-web-fragment jar in
 * {@code WEB-INF/lib} the filter runs (and supports async servlets); without it, nothing is registered
 * although the library itself is on the classpath.
 */
class WebFragmentIT {
  @TempDir Path tmp;
  private Tomcat tomcat;

  @AfterEach
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void withTheJarInWebInfLibTheFirstVisitGetsBothCookies() throws Exception {
    URI base = start(true);

    HttpResponse<String> first = get(base.resolve("/hello"));

    assertThat(first.body()).startsWith("id=").isNotEqualTo("id=none");
    String id = first.body().substring("id=".length());
    assertThat(first.headers().allValues("Set-Cookie"))
        .anyMatch(h -> h.startsWith("ajs_anonymous_id=" + id + ";"))
        .anyMatch(h -> h.matches("ak_anonymous_id=[A-Za-z0-9_-]{22}\\." + id + ";.*") && h.contains("HttpOnly"));
  }

  @Test
  void theRegisteredFilterSupportsAsyncServlets() throws Exception {
    URI base = start(true);

    HttpResponse<String> async = get(base.resolve("/async"));

    assertThat(async.statusCode()).isEqualTo(200);
    assertThat(async.body()).startsWith("async id=").isNotEqualTo("async id=none");
  }

  @Test
  void withoutTheJarNothingIsRegistered() throws Exception {
    URI base = start(false);

    HttpResponse<String> first = get(base.resolve("/hello"));

    assertThat(first.body()).isEqualTo("id=none");
    assertThat(first.headers().allValues("Set-Cookie")).noneMatch(h -> h.startsWith("ajs_anonymous_id="));
  }

  private URI start(boolean withFragment) throws Exception {
    Path webapp = Files.createDirectories(tmp.resolve("webapp/WEB-INF/lib"));
    if (withFragment) {
      Path jar = Path.of(System.getProperty("fragment.jar"));
      Files.copy(jar, webapp.resolve(jar.getFileName()));
    }
    tomcat = new Tomcat();
    tomcat.setBaseDir(tmp.resolve("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.setAddDefaultWebXmlToWebapp(false);
    Context context = tomcat.addWebapp(tomcat.getHost(), "", tmp.resolve("webapp").toString(), new ContextConfig());
    // only WEB-INF/lib counts: the test's own classpath holds the fragment jar too
    StandardJarScanner scanner = new StandardJarScanner();
    scanner.setScanClassPath(false);
    context.setJarScanner(scanner);
    Tomcat.addServlet(context, "hello", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.getWriter().write("id=" + anonymousId(request));
      }
    });
    context.addServletMappingDecoded("/hello", "hello");
    Wrapper async = Tomcat.addServlet(context, "async", new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        AsyncContext asyncContext = request.startAsync();
        asyncContext.start(() -> {
          try {
            asyncContext.getResponse().getWriter().write("async id=" + anonymousId(request));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          } finally {
            asyncContext.complete();
          }
        });
      }
    });
    async.setAsyncSupported(true);
    context.addServletMappingDecoded("/async", "async");
    tomcat.start();
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  private static String anonymousId(HttpServletRequest request) {
    return request.getAttribute(AnalyticsContext.ATTRIBUTE) instanceof AnalyticsContext context
        ? context.getAnonymousId() : "none";
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
