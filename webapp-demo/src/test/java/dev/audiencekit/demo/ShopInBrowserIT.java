package dev.audiencekit.demo;

import java.net.URI;
import java.nio.file.Path;

/** The browser flow on embedded Jetty 12 (ee10), serving {@code src/main/webapp} as {@code exec:exec} does. */
class ShopInBrowserIT extends ShopInBrowserContract {
  @Override
  RunningShop startShop() throws Exception {
    DemoServer demo = DemoServer.start(0, Path.of(System.getProperty("demo.webapp", "src/main/webapp")));
    return new RunningShop() {
      @Override public URI base() { return demo.base(); }
      @Override public void close() throws Exception { demo.close(); }
    };
  }
}
