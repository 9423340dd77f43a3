package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Consent in embedded Tomcat. */
class ConsentOnTomcatTest extends ConsentContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
