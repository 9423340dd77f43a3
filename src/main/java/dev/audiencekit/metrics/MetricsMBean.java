package dev.audiencekit.metrics;

import java.util.Map;

/**
 * The JMX view of one filter instance's {@link Metrics} (SPEC §9), registered as
 * {@code dev.audiencekit:type=AnalyticsFilter,context=<context path>,name=<filter name>}.
 */
public interface MetricsMBean {
  long getIdsMinted();

  long getRestoredFromBackupCookie();

  long getRestoredFromFingerprint();

  long getRestoredFromLateChange();

  long getCoalesced();

  long getRestoresRefusedAmbiguous();

  long getInvalidCookies();

  long getBotsSkipped();

  long getEventsAccepted();

  long getEventsDiscarded();

  long getEventsDelivered();

  long getEventsRetried();

  long getEventsSpooled();

  long getEventsDeadLettered();

  /** Dropped events, all reasons together. */
  long getEventsDropped();

  /** Dropped events by reason ({@code too-large}, {@code spool-full}, {@code queue-full}, …). */
  Map<String, Long> getEventsDroppedByReason();

  long getQueueDepth();

  long getSpoolBytes();

  long getSpoolCorruptions();

  long getStoreErrors();

  long getConsentCookiesUnreadable();

  long getConsentSourceErrors();

  long getConsentUpdates();

  long getConsentRevocations();
}
