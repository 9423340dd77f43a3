package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Two embedded Tomcat nodes sharing one PostgreSQL. */
class ClusterOnTomcatTest extends ClusterContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
