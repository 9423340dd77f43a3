package dev.audiencekit.testing;

import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContainerInitializerHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty 12 (ee10) with JSP support. */
final class JettyContainer implements Container {
  private final Server server;
  private final URI base;

  private JettyContainer(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  static JettyContainer start(Path webappDir, ServletContainerInitializer initializer, int maxHeaderBytes)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
        .setRequestHeaderSize(maxHeaderBytes);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setWar(webappDir.toString());
    context.setAttribute("org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern",
        ".*/jakarta\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$|.*/classes/.*");
    context.setThrowUnavailableOnStartupException(true);
    context.addServletContainerInitializer(new ServletContainerInitializerHolder(initializer));
    server.setHandler(context);
    server.start();
    return new JettyContainer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
