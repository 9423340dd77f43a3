package dev.audiencekit.demo;

/**
 * The browser flow against the demo WAR deployed as a user deploys it: copied into {@code webapps/} of a
 * standalone Tomcat 11 distribution started as its own process.
 */
class ShopOnStandaloneTomcatIT extends ShopInBrowserContract {
  @Override
  RunningShop startShop() throws Exception {
    return Deployment.named("tomcat-11.0").start();
  }
}
