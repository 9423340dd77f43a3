package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** The client address behind trusted proxies in embedded Jetty 12 (ee10). */
class ForwardingOnJettyTest extends ForwardingContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
