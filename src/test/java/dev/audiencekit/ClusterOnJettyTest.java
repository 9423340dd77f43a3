package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Two embedded Jetty nodes sharing one PostgreSQL. */
class ClusterOnJettyTest extends ClusterContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
