package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Hostile input to the filter in embedded Tomcat 10.1. */
class HostileInputOnTomcatTest extends HostileInputContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
