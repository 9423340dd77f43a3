package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Hostile input to the filter in embedded Jetty 12 (ee10). */
class HostileInputOnJettyTest extends HostileInputContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
