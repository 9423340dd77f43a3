package dev.audiencekit.tags;

import dev.audiencekit.testing.Container;

/** The tag library's golden files on embedded Jetty 12 (ee10), JSPs compiled by its Jasper. */
class TagsOnJettyTest extends TagsContract {
  @Override
  Container.Kind kind() {
    return Container.Kind.JETTY;
  }
}
