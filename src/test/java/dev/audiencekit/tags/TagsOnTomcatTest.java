package dev.audiencekit.tags;

import dev.audiencekit.testing.Container;

/** The tag library's golden files on embedded Tomcat, JSPs compiled by its Jasper. */
class TagsOnTomcatTest extends TagsContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.TOMCAT;
  }
}
