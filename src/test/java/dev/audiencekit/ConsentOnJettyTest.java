package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Consent in embedded Jetty. */
class ConsentOnJettyTest extends ConsentContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
