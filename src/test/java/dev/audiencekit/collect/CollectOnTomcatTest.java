package dev.audiencekit.collect;

import dev.audiencekit.testing.Container;

/** The first-party collection endpoint in embedded Tomcat 10.1. */
class CollectOnTomcatTest extends CollectContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
