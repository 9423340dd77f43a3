package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Restoring a lost identity, privacy signals and a failing store in embedded Jetty. */
class RestoreOnJettyTest extends RestoreContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
