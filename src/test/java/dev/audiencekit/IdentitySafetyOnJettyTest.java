package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Attacks on stored identities, in embedded Jetty. */
class IdentitySafetyOnJettyTest extends IdentitySafetyContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
