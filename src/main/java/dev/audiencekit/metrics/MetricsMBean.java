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

  long getRestoresRefusedUserData();

  long getRestoresRefusedDormancy();

  long getWritesRefusedNotOwner();

  long getIdsTooLargeForCookie();

  long getTraitsTooLargeToStore();

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

  /** Browser events accepted by the first-party collection endpoint. */
  long getCollectEvents();

  /** Browser events sent with the server's ids instead of the different ones they carried. */
  long getCollectIdsReplaced();

  /** Requests the collection endpoint refused (or answered without queueing), all reasons together. */
  long getCollectRefused();

  /** Those requests by reason ({@code too-large}, {@code invalid-json}, {@code rate-limit}, {@code untracked}, …). */
  Map<String, Long> getCollectRefusedByReason();

  long getConsentCookiesUnreadable();

  long getConsentSourceErrors();

  long getConsentUpdates();

  long getConsentRevocations();
}
