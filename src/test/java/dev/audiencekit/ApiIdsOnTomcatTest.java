package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Ids given through the API, and cookie limits, in embedded Tomcat. */
class ApiIdsOnTomcatTest extends ApiIdsContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
