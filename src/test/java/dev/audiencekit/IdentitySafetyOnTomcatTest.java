package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Attacks on stored identities, in embedded Tomcat. */
class IdentitySafetyOnTomcatTest extends IdentitySafetyContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
