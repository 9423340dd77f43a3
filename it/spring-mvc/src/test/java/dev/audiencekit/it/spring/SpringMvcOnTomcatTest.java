package dev.audiencekit.it.spring;

import jakarta.servlet.ServletContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** The Spring MVC application on embedded Tomcat 11 (its web.xml, JSPs compiled by Tomcat's Jasper). */
class SpringMvcOnTomcatTest extends SpringMvcContract {
  private Tomcat tomcat;
  private Context context;

  @Override
  URI start() throws Exception {
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("spring-mvc-tomcat").toString());
    tomcat.setHostname("127.0.0.1");
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    context = tomcat.addWebapp("", Path.of(System.getProperty("webapp.dir", "src/main/webapp")).toAbsolutePath().toString());
    tomcat.start();
    return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort());
  }

  @Override
  ServletContext servletContext() {
    return context.getServletContext();
  }

  @Override
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }
}
