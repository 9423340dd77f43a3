package dev.audiencekit.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The counters of one filter instance (SPEC §9). Incrementing never blocks and never throws; the JMX
 * MBean and the demo's inspector read them.
 */
public final class Metrics {
  public final LongAdder idsMinted = new LongAdder();
  public final LongAdder restoredFromBackupCookie = new LongAdder();
  public final LongAdder restoredFromFingerprint = new LongAdder();
  public final LongAdder restoredFromLateChange = new LongAdder();
  public final LongAdder coalesced = new LongAdder();
  public final LongAdder restoresRefusedAmbiguous = new LongAdder();
  /** Fingerprint restores refused because the id's record holds user data. */
  public final LongAdder restoresRefusedUserData = new LongAdder();
  /** Fingerprint restores refused because the id was in use within {@code fingerprint.minDormancyHours}. */
  public final LongAdder restoresRefusedDormancy = new LongAdder();
  /** Writes of user data refused because the request's browser does not own the stored record. */
  public final LongAdder writesRefusedNotOwner = new LongAdder();
  /** Ids used for a request but not written to a cookie because the encoded value was over 1,000 bytes. */
  public final LongAdder idsTooLargeForCookie = new LongAdder();
  /** Traits kept out of the mirror because the record's traits would exceed 16,384 bytes of JSON. */
  public final LongAdder traitsTooLargeToStore = new LongAdder();
  public final LongAdder invalidCookies = new LongAdder();
  public final LongAdder botsSkipped = new LongAdder();
  public final LongAdder eventsAccepted = new LongAdder();
  public final LongAdder eventsDiscarded = new LongAdder();
  public final LongAdder eventsDelivered = new LongAdder();
  public final LongAdder eventsRetried = new LongAdder();
  public final LongAdder eventsSpooled = new LongAdder();
  public final LongAdder eventsDeadLettered = new LongAdder();
  public final LongAdder storeErrors = new LongAdder();
  /** Consent cookies that were sent but could not be read (malformed, oversized, no usable entry). */
  public final LongAdder consentCookiesUnreadable = new LongAdder();
  /** Calls of a custom consent source that threw or returned null (the request counted as undecided). */
  public final LongAdder consentSourceErrors = new LongAdder();
  /** {@code Segment Consent Preference Updated} events emitted. */
  public final LongAdder consentUpdates = new LongAdder();
  /** Identities deleted because the visitor took back the required consent category. */
  public final LongAdder consentRevocations = new LongAdder();
  /** Spool files found damaged (torn or corrupt tail set aside as {@code *.corrupt}). */
  public final LongAdder spoolCorruptions = new LongAdder();
  /** Browser events the first-party collection endpoint accepted and handed to delivery. */
  public final LongAdder collectEvents = new LongAdder();
  /** Browser events whose anonymousId or userId disagreed with the server's; they were sent with the server's. */
  public final LongAdder collectIdsReplaced = new LongAdder();
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> collectRefused = new ConcurrentHashMap<>();
  private volatile LongSupplier queueDepth = () -> 0;
  private volatile LongSupplier spoolBytes = () -> 0;

  /** Counts one event dropped for {@code reason} (e.g. {@code too-large}, {@code spool-full}). */
  public void dropped(String reason) {
    dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Dropped events by reason, sorted by reason. */
  public Map<String, Long> droppedByReason() {
    Map<String, Long> out = new TreeMap<>();
    dropped.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  public long droppedTotal() {
    return dropped.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Counts one request the collection endpoint did not accept, for {@code reason} ({@code too-large},
   * {@code invalid-json}, {@code rate-limit}, …; {@code untracked} for the bots and untracked visitors
   * answered without queueing anything).
   */
  public void collectRefused(String reason) {
    collectRefused.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Requests the collection endpoint did not accept, by reason, sorted by reason. */
  public Map<String, Long> collectRefusedByReason() {
    Map<String, Long> out = new TreeMap<>();
    collectRefused.forEach((reason, count) -> out.put(reason, count.sum()));
    return out;
  }

  public long collectRefusedTotal() {
    return collectRefused.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public void queueDepthGauge(LongSupplier gauge) {
    this.queueDepth = gauge;
  }

  public void spoolBytesGauge(LongSupplier gauge) {
    this.spoolBytes = gauge;
  }

  public long queueDepth() {
    return queueDepth.getAsLong();
  }

  public long spoolBytes() {
    return spoolBytes.getAsLong();
  }
}
