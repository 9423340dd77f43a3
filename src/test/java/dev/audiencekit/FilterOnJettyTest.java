package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** The filter's behaviour in embedded Jetty 12 (ee10). */
class FilterOnJettyTest extends FilterContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
