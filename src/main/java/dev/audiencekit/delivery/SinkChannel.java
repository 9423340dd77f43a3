package dev.audiencekit.delivery;

import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import dev.audiencekit.sink.EventSink;
import dev.audiencekit.sink.SinkException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery to one sink: up to {@link EventSink#maxConcurrency()} batches in flight, each retried on
 * its own schedule (capped exponential backoff, full jitter, {@code Retry-After}), so a slow or failing
 * batch never holds the others.
 *
 * <p>Memory stays bounded: the channel holds at most {@code concurrency × pendingPerConcurrency}
 * batches; beyond that, after {@code maxAttempts} attempts, or while the sink is down, batches go to
 * the spool. Spooled batches come back through {@link #offerReplay}; while the sink is down only one
 * of them is tried at a time, as a probe, with growing pauses.
 */
final class SinkChannel {
  private static final Logger LOG = System.getLogger(SinkChannel.class.getName());
  /** Characters of a refusing collector's answer that are logged. */
  static final int MAX_SNIPPET = 200;

  final String id;
  final EventSink sink;
  private final Metrics metrics;
  private final Spool spool;
  private final Outages outages;
  private final Tuning tuning;
  private final Backoff backoff;
  private final ScheduledExecutorService timer;
  private final ThreadPoolExecutor workers;
  private final int concurrency;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger replaysInFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final Set<Batch> live = ConcurrentHashMap.newKeySet();
  private final Object idle = new Object();
  private volatile long notBeforeMs;
  private volatile long nextProbeMs;
  private volatile long deadlineMs = Long.MAX_VALUE;
  private volatile boolean closing;
  private volatile Runnable onSettled = () -> { };

  /** One batch owned by this channel, from its first attempt until it is settled. */
  private static final class Batch {
    final List<String> events;
    final SpoolRecord origin;
    final AtomicBoolean settled = new AtomicBoolean();
    int failures;
    volatile Future<?> scheduled;

    Batch(List<String> events, SpoolRecord origin) {
      this.events = events;
      this.origin = origin;
    }
  }

  SinkChannel(String id, EventSink sink, Metrics metrics, Spool spool, Outages outages, Tuning tuning,
      long maxBackoffMs, ScheduledExecutorService timer, String name) {
    this.id = id;
    this.sink = sink;
    this.metrics = metrics;
    this.spool = spool;
    this.outages = outages;
    this.tuning = tuning;
    this.backoff = new Backoff(tuning.backoffBaseMs, maxBackoffMs, tuning.random);
    this.timer = timer;
    this.concurrency = Math.max(1, sink.maxConcurrency());
    this.maxPending = concurrency * Math.max(1, tuning.pendingPerConcurrency);
    String role = "sink-" + id.replaceAll("[^A-Za-z0-9._-]", "_");
    if (role.length() > 40) {
      role = role.substring(0, 40);
    }
    this.workers = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), new DaemonThreads(name, role, true));
    this.workers.allowCoreThreadTimeOut(true);
  }

  void onSettled(Runnable listener) {
    this.onSettled = listener;
  }

  /** Down: enough consecutive failures that new batches go to disk and only probes are tried. */
  boolean isDown() {
    return consecutiveFailures.get() >= tuning.downAfterFailures;
  }

  /** Whether the last attempt failed: events should reach the spool quickly rather than wait in memory. */
  boolean isFailing() {
    return consecutiveFailures.get() > 0;
  }

  int pending() {
    return pending.get();
  }

  /**
   * Takes a fresh batch from the batcher.
   *
   * @return false when the channel cannot hold it now (down, full, closing): the caller spools it
   */
  boolean offerLive(List<String> events) {
    if (closing || isDown()) {
      return false;
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return false;
    }
    Batch batch = new Batch(events, null);
    live.add(batch);
    dispatch(batch, 0);
    return true;
  }

  /** Whether a spooled batch may be tried now. */
  boolean replayReady() {
    if (closing || pending.get() >= concurrency) {
      return false;
    }
    long now = tuning.clock.millis();
    if (now < notBeforeMs) {
      return false;
    }
    return !isDown() || (replaysInFlight.get() == 0 && now >= nextProbeMs);
  }

  /** Takes a batch read back from the spool; it is acknowledged or returned to the spool. */
  void offerReplay(SpoolRecord record) {
    pending.incrementAndGet();
    replaysInFlight.incrementAndGet();
    Batch batch = new Batch(record.events, record);
    live.add(batch);
    dispatch(batch, 0);
  }

  private void dispatch(Batch batch, long delayMs) {
    long wait = Math.max(delayMs, notBeforeMs - tuning.clock.millis());
    try {
      if (wait > 0) {
        batch.scheduled = timer.schedule(() -> submit(batch), wait, TimeUnit.MILLISECONDS);
      } else {
        submit(batch);
      }
    } catch (RejectedExecutionException e) {
      giveUp(batch); // shutting down
    }
  }

  private void submit(Batch batch) {
    try {
      workers.execute(() -> attempt(batch));
    } catch (RejectedExecutionException e) {
      giveUp(batch);
    }
  }

  private void attempt(Batch batch) {
    if (batch.settled.get()) {
      return;
    }
    try {
      sink.deliver(batch.events);
      succeeded(batch);
    } catch (SinkException e) {
      if (e.retryable()) {
        failed(batch, e, e.retryAfter() == null ? 0 : e.retryAfter().toMillis());
      } else {
        rejected(batch, e);
      }
    } catch (Exception | LinkageError e) {
      failed(batch, e, 0);
    }
  }

  private boolean settle(Batch batch) {
    if (!batch.settled.compareAndSet(false, true)) {
      return false;
    }
    live.remove(batch);
    if (batch.origin != null) {
      replaysInFlight.decrementAndGet();
    }
    pending.decrementAndGet();
    return true;
  }

  private void settled() {
    onSettled.run();
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  private void succeeded(Batch batch) {
    boolean wasFailing = consecutiveFailures.getAndSet(0) > 0;
    if (!settle(batch)) {
      return;
    }
    metrics.eventsDelivered.add(batch.events.size());
    if (batch.origin != null) {
      batch.origin.ack();
    }
    if (wasFailing) {
      outages.recovered("delivery:" + id, "sink " + id + ": delivery works again");
    }
    settled();
  }

  private void rejected(Batch batch, SinkException e) {
    consecutiveFailures.set(0); // the remote answered: it is up, it just refuses this batch
    if (!settle(batch)) {
      return;
    }
    spool.deadLetter(e.status(), e.response(), batch.events);
    metrics.eventsDeadLettered.add(batch.events.size());
    if (batch.origin != null) {
      batch.origin.ack();
    }
    // Status and the collector's answer only: the events hold personal data and stay out of the log.
    outages.warn("refused:" + id + ":" + e.status(), tuning.rejectionLogIntervalMs, "sink " + id
        + ": the collector refused a batch of " + batch.events.size() + " event(s) with status " + e.status()
        + " (" + snippet(e.response()) + "); it is not retried and goes to " + Spool.DEAD_LETTER_FILE
        + " while that has room", null);
    settled();
  }

  private void failed(Batch batch, Throwable e, long retryAfterMs) {
    int failures = consecutiveFailures.incrementAndGet();
    long now = tuning.clock.millis();
    if (retryAfterMs > 0) {
      long until = now + Math.min(retryAfterMs, tuning.retryAfterCapMs);
      if (until > notBeforeMs) {
        notBeforeMs = until;
      }
    }
    outages.warn("delivery:" + id, "sink " + id + " cannot deliver (" + failures
        + " failed attempt(s) in a row); batches are retried, then kept in the spool", e);
    metrics.eventsRetried.add(batch.events.size()); // tried again later, from memory or from the spool
    if (batch.origin != null) {
      // a spooled batch gets one attempt per turn: back to the spool, probe again after a pause
      nextProbeMs = now + Math.max(backoff.delayMs(Math.max(1, failures - tuning.downAfterFailures + 1)),
          notBeforeMs - now);
      if (settle(batch)) {
        batch.origin.nack();
        settled();
      }
      return;
    }
    batch.failures++;
    long delay = Math.max(backoff.delayMs(batch.failures), retryAfterMs);
    // No answer at all (refused, reset, timed out): the remote is probably away, and a batch is safer
    // on disk than in memory, so it goes to the spool at once and is retried from there. An answered
    // 408/429/5xx is retried in memory a few times first.
    boolean answered = e instanceof SinkException failure && failure.status() > 0;
    boolean toDiskNow = !answered && spool.enabled();
    if (toDiskNow || closing || isDown() || batch.failures >= tuning.maxAttempts || now + delay >= deadlineMs) {
      if (isDown()) {
        nextProbeMs = Math.max(nextProbeMs, now + backoff.delayMs(1));
      }
      giveUp(batch);
      return;
    }
    dispatch(batch, delay);
  }

  /** Moves a batch that is not delivered to the spool (a spooled one simply stays there). */
  private void giveUp(Batch batch) {
    if (!settle(batch)) {
      return;
    }
    if (batch.origin != null) {
      batch.origin.nack();
    } else {
      spool.write(id, batch.events, 5_000);
    }
    settled();
  }

  /** The start of the collector's answer, on one line (it cannot forge log lines). */
  static String snippet(String response) {
    if (response == null || response.isBlank()) {
      return "no response body";
    }
    String text = response.strip();
    StringBuilder out = new StringBuilder("response: ");
    int end = Math.min(text.length(), MAX_SNIPPET);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return text.length() > MAX_SNIPPET ? out.append('…').toString() : out.toString();
  }

  // ------------------------------------------------------------------ shutdown

  /** From now on, a retry that would come after {@code deadline} spools the batch instead. */
  void drainUntil(long deadline) {
    this.deadlineMs = deadline;
  }

  /** Waits until nothing is pending or {@code deadline} (clock millis) passes. */
  boolean awaitIdle(long deadline) throws InterruptedException {
    synchronized (idle) {
      while (pending.get() > 0) {
        long left = deadline - tuning.clock.millis();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.min(left, 50));
      }
    }
    return true;
  }

  /** Stops attempts: every batch still held goes to the spool, the worker threads end. */
  void close() {
    closing = true;
    for (Batch batch : live) {
      Future<?> scheduled = batch.scheduled;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
      giveUp(batch);
    }
    workers.shutdown();
    try {
      // a deliver() still running (e.g. a slow HTTP request) is interrupted only if it does not end soon;
      // its batch is already in the spool
      if (!workers.awaitTermination(500, TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
        if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
          LOG.log(Level.WARNING, "sink " + id + " did not return from deliver() within 2.5 s of shutdown");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      sink.flush();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "sink " + id + " failed to flush at shutdown: " + Outages.describe(e));
    }
    try {
      sink.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "sink " + id + " failed to close: " + Outages.describe(e));
    }
  }

  /** Periodic flush of the sink (e.g. a file), never throwing. */
  void flushSink() {
    try {
      sink.flush();
    } catch (Exception e) {
      outages.warn("flush:" + id, "sink " + id + " failed to flush", e);
    }
  }
}
