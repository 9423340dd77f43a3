package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Ids given through the API, and cookie limits, in embedded Jetty. */
class ApiIdsOnJettyTest extends ApiIdsContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
