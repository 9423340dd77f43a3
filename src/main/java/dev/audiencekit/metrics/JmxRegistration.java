package dev.audiencekit.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a filter instance's counters as an MXBean-style standard MBean on the platform MBean
 * server. Registering a name that is taken (a redeploy that starts before the old instance stopped)
 * replaces the old registration; closing an old registration never removes its replacement.
 */
public final class JmxRegistration implements AutoCloseable {
  private static final Logger LOG = System.getLogger(JmxRegistration.class.getName());
  /** Which registration owns each name, so that closing a replaced one leaves the new one alone. */
  private static final Map<ObjectName, JmxRegistration> OWNERS = new ConcurrentHashMap<>();

  private final MBeanServer server;
  private final ObjectName name;

  private JmxRegistration(MBeanServer server, ObjectName name) {
    this.server = server;
    this.name = name;
  }

  /**
   * Registers {@code metrics} as {@code dev.audiencekit:type=AnalyticsFilter,context=…,name=…}. Never
   * throws: a failure is logged and an inert handle returned (metrics must not break start-up).
   *
   * @param contextPath the servlet context path ({@code ""} or {@code null} for the root, shown as {@code /})
   * @param filterName  the filter's name
   * @return closing it unregisters the MBean
   */
  public static AutoCloseable register(Metrics metrics, String contextPath, String filterName) {
    ObjectName name;
    try {
      name = objectName(contextPath, filterName);
    } catch (MalformedObjectNameException e) {
      LOG.log(Level.WARNING, "no JMX MBean for filter " + filterName + ": " + e.getMessage());
      return () -> { };
    }
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    JmxRegistration registration = new JmxRegistration(server, name);
    try {
      synchronized (OWNERS) {
        if (server.isRegistered(name)) {
          try {
            server.unregisterMBean(name);
            LOG.log(Level.INFO, "replaced the JMX MBean " + name + " of an earlier instance");
          } catch (InstanceNotFoundException raced) {
            // gone already
          }
        }
        server.registerMBean(new StandardMBean(new View(metrics), MetricsMBean.class, true), name);
        OWNERS.put(name, registration);
      }
    } catch (JMException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot register the JMX MBean " + name + ": " + e);
      return () -> { };
    }
    return registration;
  }

  /** {@code dev.audiencekit:type=AnalyticsFilter,context=<path or />,name=<filter name>}, quoted when needed. */
  public static ObjectName objectName(String contextPath, String filterName) throws MalformedObjectNameException {
    String context = contextPath == null || contextPath.isEmpty() ? "/" : contextPath;
    return new ObjectName("dev.audiencekit:type=AnalyticsFilter,context=" + value(context) + ",name="
        + value(filterName == null || filterName.isEmpty() ? "analytics" : filterName));
  }

  private static String value(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (",=:\"*?\n\\".indexOf(text.charAt(i)) >= 0) {
        return ObjectName.quote(text);
      }
    }
    return text;
  }

  public ObjectName name() {
    return name;
  }

  /** Unregisters the MBean unless a newer registration has replaced it. Idempotent. */
  @Override
  public void close() {
    synchronized (OWNERS) {
      if (!OWNERS.remove(name, this)) {
        return;
      }
      try {
        server.unregisterMBean(name);
      } catch (InstanceNotFoundException e) {
        // already gone
      } catch (JMException e) {
        LOG.log(Level.WARNING, "cannot unregister the JMX MBean " + name + ": " + e);
      }
    }
  }

  /** Reads the counters; holds no state of its own. */
  private static final class View implements MetricsMBean {
    private final Metrics m;

    View(Metrics metrics) {
      this.m = metrics;
    }

    @Override public long getIdsMinted() { return m.idsMinted.sum(); }
    @Override public long getRestoredFromBackupCookie() { return m.restoredFromBackupCookie.sum(); }
    @Override public long getRestoredFromFingerprint() { return m.restoredFromFingerprint.sum(); }
    @Override public long getRestoredFromLateChange() { return m.restoredFromLateChange.sum(); }
    @Override public long getCoalesced() { return m.coalesced.sum(); }
    @Override public long getRestoresRefusedAmbiguous() { return m.restoresRefusedAmbiguous.sum(); }
    @Override public long getRestoresRefusedUserData() { return m.restoresRefusedUserData.sum(); }
    @Override public long getRestoresRefusedDormancy() { return m.restoresRefusedDormancy.sum(); }
    @Override public long getWritesRefusedNotOwner() { return m.writesRefusedNotOwner.sum(); }
    @Override public long getIdsTooLargeForCookie() { return m.idsTooLargeForCookie.sum(); }
    @Override public long getTraitsTooLargeToStore() { return m.traitsTooLargeToStore.sum(); }
    @Override public long getInvalidCookies() { return m.invalidCookies.sum(); }
    @Override public long getBotsSkipped() { return m.botsSkipped.sum(); }
    @Override public long getEventsAccepted() { return m.eventsAccepted.sum(); }
    @Override public long getEventsDiscarded() { return m.eventsDiscarded.sum(); }
    @Override public long getEventsDelivered() { return m.eventsDelivered.sum(); }
    @Override public long getEventsRetried() { return m.eventsRetried.sum(); }
    @Override public long getEventsSpooled() { return m.eventsSpooled.sum(); }
    @Override public long getEventsDeadLettered() { return m.eventsDeadLettered.sum(); }
    @Override public long getEventsDropped() { return m.droppedTotal(); }
    @Override public Map<String, Long> getEventsDroppedByReason() { return m.droppedByReason(); }
    @Override public long getQueueDepth() { return m.queueDepth(); }
    @Override public long getSpoolBytes() { return m.spoolBytes(); }
    @Override public long getSpoolCorruptions() { return m.spoolCorruptions.sum(); }
    @Override public long getStoreErrors() { return m.storeErrors.sum(); }
    @Override public long getCollectEvents() { return m.collectEvents.sum(); }
    @Override public long getCollectIdsReplaced() { return m.collectIdsReplaced.sum(); }
    @Override public long getCollectRefused() { return m.collectRefusedTotal(); }
    @Override public Map<String, Long> getCollectRefusedByReason() { return m.collectRefusedByReason(); }
    @Override public long getConsentCookiesUnreadable() { return m.consentCookiesUnreadable.sum(); }
    @Override public long getConsentSourceErrors() { return m.consentSourceErrors.sum(); }
    @Override public long getConsentUpdates() { return m.consentUpdates.sum(); }
    @Override public long getConsentRevocations() { return m.consentRevocations.sum(); }
  }
}
