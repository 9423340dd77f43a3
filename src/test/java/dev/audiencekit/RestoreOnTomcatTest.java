package dev.audiencekit;

import dev.audiencekit.testing.Container;

/** Restoring a lost identity, privacy signals and a failing store in embedded Tomcat. */
class RestoreOnTomcatTest extends RestoreContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
