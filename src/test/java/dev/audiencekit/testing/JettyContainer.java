package dev.audiencekit.testing;

import jakarta.servlet.ServletContainerInitializer;
import java.lang.reflect.InvocationTargetException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 with JSP support, in the Jetty environment named by the system property
 * {@value #ENVIRONMENT_PROPERTY} ({@code ee10} by default; the build also runs the suites on
 * {@code ee11}, and the javax build on {@code ee8}). The environments share Jetty's core server but
 * each has its own {@code WebAppContext} class under {@code org.eclipse.jetty.<environment>.webapp},
 * with the same methods, so the context is made and configured by name and one class serves them all.
 *
 * <p>Where the environment has no JSP module of its own (ee8 here), the system property
 * {@value #JSP_SERVLET_PROPERTY} names the JSP servlet to map to {@code *.jsp} instead (Tomcat's Jasper;
 * its initializer is found on the class path like any other).
 */
final class JettyContainer implements Container {
  static final String ENVIRONMENT_PROPERTY = "audiencekit.test.jetty";
  static final String JSP_SERVLET_PROPERTY = "audiencekit.test.jetty.jspServlet";
  private final Server server;
  private final URI base;

  private JettyContainer(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  /** The environment the tests run on, e.g. {@code ee10}. */
  static String environment() {
    return System.getProperty(ENVIRONMENT_PROPERTY, "ee10");
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
    Object context = Class.forName("org.eclipse.jetty." + environment() + ".webapp.WebAppContext")
        .getConstructor().newInstance();
    call(context, "setContextPath", String.class, "/");
    call(context, "setWar", String.class, webappDir.toString());
    call(context, "setAttribute", String.class, Object.class,
        "org.eclipse.jetty.server.webapp.ContainerIncludeJarPattern",
        ".*/jakarta\\.servlet\\.jsp\\.jstl-[^/]*\\.jar$|.*/classes/.*");
    call(context, "setThrowUnavailableOnStartupException", boolean.class, true);
    call(context, "addServletContainerInitializer", ServletContainerInitializer.class, initializer);
    String jspServlet = System.getProperty(JSP_SERVLET_PROPERTY);
    if (jspServlet != null) {
      call(context, "addOverrideDescriptor", String.class, jspOverride(jspServlet).toString());
    }
    server.setHandler(asHandler(context));
    server.start();
    return new JettyContainer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  /** A descriptor that makes {@code servletClass} the servlet named {@code jsp} (which Jetty maps to *.jsp). */
  private static Path jspOverride(String servletClass) throws IOException {
    Path descriptor = Files.createTempFile("audiencekit-jsp-override", ".xml");
    descriptor.toFile().deleteOnExit();
    Files.writeString(descriptor, """
        <?xml version="1.0" encoding="UTF-8"?>
        <web-app xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="4.0">
          <servlet>
            <servlet-name>jsp</servlet-name>
            <servlet-class>%s</servlet-class>
            <load-on-startup>0</load-on-startup>
          </servlet>
        </web-app>
        """.formatted(servletClass));
    return descriptor;
  }

  /** ee10 and ee11 contexts are core handlers; the ee8/ee9 ones supply one. */
  @SuppressWarnings("unchecked")
  private static Handler asHandler(Object context) {
    return context instanceof Handler handler ? handler : ((Supplier<Handler>) context).get();
  }

  private static void call(Object target, String method, Class<?> type, Object argument) throws Exception {
    invoke(target, method, new Class<?>[] {type}, argument);
  }

  private static void call(Object target, String method, Class<?> type1, Class<?> type2, Object argument1,
      Object argument2) throws Exception {
    invoke(target, method, new Class<?>[] {type1, type2}, argument1, argument2);
  }

  private static void invoke(Object target, String method, Class<?>[] types, Object... arguments) throws Exception {
    try {
      target.getClass().getMethod(method, types).invoke(target, arguments);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
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
