package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** The filter's behaviour in embedded Tomcat 10.1. */
class FilterOnTomcatTest extends FilterContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
