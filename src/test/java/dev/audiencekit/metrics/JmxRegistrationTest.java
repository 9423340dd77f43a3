package dev.audiencekit.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

class JmxRegistrationTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void countersAreReadableUnderTheSpecifiedNameAndGoAwayOnClose() throws Exception {
    Metrics metrics = new Metrics();
    metrics.eventsAccepted.add(7);
    metrics.dropped("too-large");
    ObjectName name = new ObjectName("dev.audiencekit:type=AnalyticsFilter,context=/shop,name=analytics");
    try (AutoCloseable registration = JmxRegistration.register(metrics, "/shop", "analytics")) {
      assertThat(server.getAttribute(name, "EventsAccepted")).isEqualTo(7L);
      assertThat(server.getAttribute(name, "EventsDropped")).isEqualTo(1L);
      TabularData byReason = (TabularData) server.getAttribute(name, "EventsDroppedByReason");
      assertThat(byReason.size()).isEqualTo(1);
    }
    assertThat(server.isRegistered(name)).isFalse();
  }

  @Test
  void rootContextIsShownAsSlashAndOddNamesAreQuoted() throws Exception {
    assertThat(JmxRegistration.objectName("", "analytics").getKeyProperty("context")).isEqualTo("/");
    ObjectName odd = JmxRegistration.objectName("/a", "my,filter=1");
    assertThat(ObjectName.unquote(odd.getKeyProperty("name"))).isEqualTo("my,filter=1");
  }

  @Test
  void aRedeployReplacesTheOldRegistrationAndClosingTheOldOneKeepsTheNew() throws Exception {
    Metrics oldMetrics = new Metrics();
    Metrics newMetrics = new Metrics();
    newMetrics.eventsDelivered.add(3);
    ObjectName name = JmxRegistration.objectName("/redeploy", "analytics");
    AutoCloseable old = JmxRegistration.register(oldMetrics, "/redeploy", "analytics");
    AutoCloseable fresh = JmxRegistration.register(newMetrics, "/redeploy", "analytics");
    old.close();
    assertThat(server.getAttribute(name, "EventsDelivered")).isEqualTo(3L);
    fresh.close();
    assertThat(server.isRegistered(name)).isFalse();
  }
}
