package dev.audiencekit.collect;

import dev.audiencekit.testing.Container;

/** The first-party collection endpoint in embedded Jetty 12 (ee10). */
class CollectOnJettyTest extends CollectContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
