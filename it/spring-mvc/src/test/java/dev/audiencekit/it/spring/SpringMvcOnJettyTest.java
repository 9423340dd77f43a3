package dev.audiencekit.it.spring;

import jakarta.servlet.ServletContext;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The Spring MVC application on embedded Jetty 12 (ee10; its web.xml, JSPs compiled by Jetty's Jasper). */
class SpringMvcOnJettyTest extends SpringMvcContract {
  private Server server;
  private WebAppContext context;

  @Override
  URI start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    context = new WebAppContext();
    context.setContextPath("/");
    context.setWar(Path.of(System.getProperty("webapp.dir", "src/main/webapp")).toAbsolutePath().toString());
    // JSTL's and audiencekit's TLDs sit in jars on the test classpath, not in WEB-INF/lib
    context.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern", String.join("|", tldJars()));
    context.setThrowUnavailableOnStartupException(true);
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  ServletContext servletContext() {
    return context.getServletContext();
  }

  @Override
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }
}
