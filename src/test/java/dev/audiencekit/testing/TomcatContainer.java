package dev.audiencekit.testing;

import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat with Jasper, validating web.xml and TLDs. */
final class TomcatContainer implements Container {
  private final Tomcat tomcat;
  private final URI base;

  private TomcatContainer(Tomcat tomcat, URI base) {
    this.tomcat = tomcat;
    this.base = base;
  }

  static TomcatContainer start(Path webappDir, ServletContainerInitializer initializer, int maxHeaderBytes)
      throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    tomcat.getConnector().setProperty("maxHttpHeaderSize", Integer.toString(maxHeaderBytes));
    Context context = tomcat.addWebapp("", webappDir.toString());
    // Validate web.xml and every TLD against its schema, which Tomcat skips by default: a TLD with the
    // wrong header for the container's JSP version is then refused, as a strict container would.
    context.setXmlValidation(true);
    context.setXmlNamespaceAware(true);
    context.setTldValidation(true);
    context.addServletContainerInitializer(initializer, null);
    tomcat.start();
    if (context.getState() != LifecycleState.STARTED) {
      tomcat.stop();
      tomcat.destroy();
      throw new IllegalStateException("the web application did not start (state " + context.getState() + ")");
    }
    return new TomcatContainer(tomcat, URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort()));
  }

  @Override
  public URI base() {
    return base;
  }

  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
