package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** The client address behind trusted proxies in embedded Tomcat 10.1. */
class ForwardingOnTomcatTest extends ForwardingContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
