package dev.audiencekit.delivery;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import dev.audiencekit.sink.EventSink;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Event delivery of one filter instance: the only thing the filter calls.
 *
 * <p>{@link #accept} runs on request threads and never blocks or throws: it checks the size, counts
 * the event and offers it to a bounded memory queue ({@code queue.capacity}); an event that does not
 * fit is handed to the spool writer's own bounded buffer, and only when that is impossible (spool
 * disabled, full or far behind) is it dropped, counted by reason and logged (rate-limited).
 *
 * <p>Behind it: a batcher thread closes batches at {@code flushAt} events, {@code flushIntervalMs},
 * {@value #MAX_BATCH_EVENTS} events or {@value #MAX_BATCH_BYTES} bytes of JSON and gives every batch to
 * every sink ({@link SinkChannel}); batches that cannot be delivered now go to the spool
 * ({@link Spool}) and come back from it, oldest first, through a replay thread. All threads are daemon
 * threads named {@code audiencekit-<name>-…}.
 */
public final class Delivery implements AutoCloseable {
  /** Largest event accepted, in UTF-8 bytes (SPEC §7: 32 KB). */
  public static final int MAX_EVENT_BYTES = 32 * 1024;
  /** Most events in one batch. */
  public static final int MAX_BATCH_EVENTS = 2500;
  /** Most UTF-8 bytes of JSON in one request body, before compression. */
  public static final int MAX_BATCH_BYTES = 480 * 1024;
  /** Bytes of {@code {"batch":[ … ],"sentAt":"2024-01-01T00:00:00.000Z"}} around the events. */
  static final int BODY_OVERHEAD = 64;

  private static final Logger LOG = System.getLogger(Delivery.class.getName());
  /** Wakes the batcher for {@link #flush()}; compared by identity. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String FLUSH = new String("flush");

  private final String name;
  private final Settings settings;
  private final Metrics metrics;
  private final Tuning tuning;
  private final Outages outages;
  private final ArrayBlockingQueue<String> queue;
  private final List<SinkChannel> channels;
  private final Spool spool;
  private final ScheduledThreadPoolExecutor timer;
  private final Thread batcher;
  private final Thread replayer;
  private final Object replayWake = new Object();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean stopBatcher;
  private volatile boolean stopReplayer;
  private volatile boolean flushRequested;

  /**
   * Starts delivery for one filter instance.
   *
   * @param settings        the parsed configuration
   * @param metrics         the counters to update
   * @param defaultSpoolDir where the default spool folder {@code audiencekit-spool} goes (the servlet
   *                        temp dir); unused when {@code spool.dir} is set
   * @param name            names the threads ({@code audiencekit-<name>-…}) and log lines
   * @throws dev.audiencekit.config.InvalidSettingException naming {@code sink} when a class named there
   *     cannot be used; {@link IllegalArgumentException} when another sink cannot be built
   */
  public static Delivery start(Settings settings, Metrics metrics, Path defaultSpoolDir, String name) {
    return start(settings, metrics, defaultSpoolDir, name, Tuning.defaults());
  }

  static Delivery start(Settings settings, Metrics metrics, Path defaultSpoolDir, String name, Tuning tuning) {
    return new Delivery(settings, metrics, defaultSpoolDir, name, tuning);
  }

  private Delivery(Settings settings, Metrics metrics, Path defaultSpoolDir, String name, Tuning tuning) {
    this.name = name == null || name.isBlank() ? "delivery" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    this.settings = settings;
    this.metrics = metrics;
    this.tuning = tuning;
    this.outages = new Outages(LOG, tuning.clock, tuning.outageLogIntervalMs);
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());

    List<String> ids = new ArrayList<>();
    List<EventSink> sinks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try {
      for (String spec : settings.sinks()) {
        String id = spec;
        for (int n = 2; !seen.add(id); n++) {
          id = spec + "#" + n;
        }
        ids.add(id);
        sinks.add(Sinks.create(spec, settings, this.name));
      }
    } catch (RuntimeException e) {
      for (EventSink sink : sinks) {
        closeQuietly(sink);
      }
      throw e;
    }

    this.spool = openSpool(settings, defaultSpoolDir, ids);
    this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads(this.name, "timer", false));
    this.timer.setRemoveOnCancelPolicy(true);
    this.channels = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      SinkChannel channel = new SinkChannel(ids.get(i), sinks.get(i), metrics, spool, outages, tuning,
          settings.retryMaxBackoffMs(), timer, this.name);
      channel.onSettled(this::wakeReplayer);
      channels.add(channel);
    }
    spool.onWrite(this::wakeReplayer);
    metrics.queueDepthGauge(queue::size);
    metrics.spoolBytesGauge(spool::bytes);

    long flushEvery = settings.flushIntervalMs();
    timer.scheduleWithFixedDelay(this::flushSinks, flushEvery, flushEvery, TimeUnit.MILLISECONDS);

    this.batcher = new DaemonThreads(this.name, "batcher", false).newThread(this::runBatcher);
    this.replayer = spool.enabled() ? new DaemonThreads(this.name, "replay", false).newThread(this::runReplayer)
        : null;
    batcher.start();
    if (replayer != null) {
      replayer.start();
    }
    LOG.log(Level.DEBUG, "delivery " + this.name + " started: sinks=" + ids + ", queue.capacity="
        + settings.queueCapacity() + ", flushAt=" + settings.flushAt() + ", flushIntervalMs=" + flushEvery
        + ", spool=" + (spool.enabled() ? spool.dir() + " (" + spool.bytes() + " bytes waiting)" : "disabled"));
  }

  /** The spool folder in use, or {@code null} when the spool is disabled. */
  Path spoolDir() {
    return spool.enabled() ? spool.dir() : null;
  }

  private Spool openSpool(Settings settings, Path defaultSpoolDir, List<String> ids) {
    String configured = settings.spoolDir();
    if ("none".equals(configured)) {
      return Spool.disabled(ids, metrics, outages, tuning);
    }
    Path dir;
    if (configured != null) {
      dir = Path.of(configured);
    } else if (defaultSpoolDir != null) {
      dir = defaultSpoolDir.resolve("audiencekit-spool");
    } else {
      dir = Path.of(System.getProperty("java.io.tmpdir"), "audiencekit-spool-" + name);
    }
    return Spool.open(dir, settings.spoolMaxBytes(), ids, metrics, outages, tuning, name);
  }

  // ------------------------------------------------------------------ request thread

  /**
   * Takes one event (a complete JSON object text). Never blocks on I/O and never throws.
   */
  public void accept(String eventJson) {
    try {
      if (eventJson == null) {
        metrics.dropped("invalid");
        return;
      }
      int length = eventJson.length();
      if (length > MAX_EVENT_BYTES / 3 && (length > MAX_EVENT_BYTES || utf8Length(eventJson) > MAX_EVENT_BYTES)) {
        metrics.dropped("too-large");
        outages.warn("too-large", "event rejected: " + utf8Length(eventJson) + " bytes of JSON is over the "
            + MAX_EVENT_BYTES + "-byte limit of one event (" + preview(eventJson) + ")", null);
        return;
      }
      metrics.eventsAccepted.increment();
      if (closed) {
        spillOrDrop(eventJson, "closed");
      } else if (!queue.offer(eventJson)) {
        spillOrDrop(eventJson, "queue-full");
      }
    } catch (Throwable t) { // never let a delivery problem fail a request
      try {
        metrics.dropped("error");
        outages.warn("accept", "event dropped by an unexpected error", t);
      } catch (Throwable ignored) {
        // nothing more can be done safely
      }
    }
  }

  private void spillOrDrop(String event, String why) {
    if (spool.offerEvent(event)) {
      return;
    }
    String reason = !spool.enabled() ? (why.equals("closed") ? "closed" : "queue-full") : why.equals("closed")
        ? "closed" : "spool-backlog";
    metrics.dropped(reason);
    outages.warn("drop:" + reason, "event dropped (" + reason + "): "
        + (spool.enabled() ? "the memory queue (queue.capacity=" + settings.queueCapacity()
            + ") and the spool writer's buffer are both full" : "the memory queue is full (queue.capacity="
            + settings.queueCapacity() + ") and the spool is disabled (spool.dir=none or unusable)"), null);
  }

  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static String preview(String event) {
    int type = event.indexOf("\"type\"");
    String head = event.substring(0, Math.min(event.length(), 80));
    return type < 0 ? head + "…" : head + "…, " + event.substring(type, Math.min(event.length(), type + 24)) + "…";
  }

  // ------------------------------------------------------------------ other public methods

  /** The first sink of the given type, e.g. {@code sink(MemorySink.class)} for the demo's inspector. */
  public <T extends EventSink> Optional<T> sink(Class<T> type) {
    for (SinkChannel channel : channels) {
      if (type.isInstance(channel.sink)) {
        return Optional.of(type.cast(channel.sink));
      }
    }
    return Optional.empty();
  }

  /** Asks for what is queued now to be sent at once rather than at the next flush interval. */
  public void flush() {
    flushRequested = true;
    queue.offer(FLUSH); // wakes the batcher; if the queue is full the batcher is busy and sees the flag
  }

  // ------------------------------------------------------------------ the batcher

  private long lingerMs() {
    long linger = settings.flushIntervalMs();
    for (SinkChannel channel : channels) {
      if (channel.isFailing()) {
        return Math.min(linger, tuning.outageLingerMs); // to the spool quickly while the collector is away
      }
    }
    return linger;
  }

  /** How long the batcher gathers events after the first of a wake-up. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private void runBatcher() {
    int flushAt = Math.min(settings.flushAt(), MAX_BATCH_EVENTS);
    List<String> batch = new ArrayList<>(flushAt);
    List<String> drained = new ArrayList<>(flushAt);
    long bytes = BODY_OVERHEAD;
    long deadline = 0;
    while (true) {
      boolean stopping = stopBatcher;
      String first = null;
      try {
        if (stopping) {
          first = queue.poll();
        } else {
          long waitNanos = batch.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : Math.max(0, deadline - System.nanoTime());
          first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        continue; // nobody should interrupt this thread; the loop sees stopBatcher
      }
      if (first != null) {
        drained.add(first);
        if (!stopping && batch.size() + 1 < flushAt) {
          // Let a few more events arrive before draining: under load this wakes the batcher about once
          // per GATHER_NANOS instead of once per event (each wake-up is a context switch that request
          // threads pay for on a small machine). Delivery is later by at most that much.
          LockSupport.parkNanos(GATHER_NANOS);
        }
        queue.drainTo(drained, MAX_BATCH_EVENTS);
        boolean flushNow = false;
        for (String event : drained) {
          if (event == FLUSH) {
            flushNow = true;
            continue;
          }
          int size = utf8Length(event) + 1;
          if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
            emit(batch);
            batch = new ArrayList<>(flushAt);
            bytes = BODY_OVERHEAD;
          }
          if (batch.isEmpty()) {
            deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs());
          }
          batch.add(event);
          bytes += size;
          if (batch.size() >= flushAt) {
            emit(batch);
            batch = new ArrayList<>(flushAt);
            bytes = BODY_OVERHEAD;
          }
        }
        drained.clear();
        if (flushNow) {
          flushRequested = false;
          if (!batch.isEmpty()) {
            emit(batch);
            batch = new ArrayList<>(flushAt);
            bytes = BODY_OVERHEAD;
          }
        }
      }
      if (!batch.isEmpty() && (flushRequested || stopping || System.nanoTime() - deadline >= 0)) {
        flushRequested = false;
        emit(batch);
        batch = new ArrayList<>(flushAt);
        bytes = BODY_OVERHEAD;
      }
      if (stopping && first == null) {
        return;
      }
    }
  }

  /** Gives a closed batch to every sink; a sink that cannot take it now gets it through the spool. */
  private void emit(List<String> batch) {
    List<String> events = List.copyOf(batch);
    for (SinkChannel channel : channels) {
      try {
        if (!channel.offerLive(events)) {
          spool.write(channel.id, events, 5_000);
        }
      } catch (RuntimeException e) {
        outages.warn("emit", "cannot hand a batch to sink " + channel.id + "; spooling it", e);
        spool.write(channel.id, events, 5_000);
      }
    }
  }

  // ------------------------------------------------------------------ the replayer

  private void wakeReplayer() {
    if (replayer != null) {
      synchronized (replayWake) {
        replayWake.notifyAll();
      }
    }
  }

  private void runReplayer() {
    while (!stopReplayer) {
      boolean progressed = false;
      try {
        for (SinkChannel channel : channels) {
          SpoolQueue spooled = spool.queue(channel.id);
          while (spooled != null && !stopReplayer && channel.replayReady()) {
            SpoolRecord record = spooled.next();
            if (record == null) {
              break;
            }
            channel.offerReplay(record);
            progressed = true;
          }
        }
      } catch (RuntimeException e) {
        outages.warn("replay", "reading the spool failed", e);
      }
      synchronized (replayWake) {
        if (!stopReplayer) {
          try {
            replayWake.wait(progressed ? 20 : 100);
          } catch (InterruptedException e) {
            // nobody should interrupt this thread; the loop checks the flag
          }
        }
      }
    }
  }

  private void flushSinks() {
    for (SinkChannel channel : channels) {
      channel.flushSink();
    }
  }

  // ------------------------------------------------------------------ shutdown

  /**
   * Stops accepting (later events go to the spool, or are counted as dropped {@code closed}), delivers
   * what it can within {@code shutdownTimeoutMs}, spools the rest and ends every thread it started.
   * Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    long started = tuning.clock.millis();
    long deadline = started + settings.shutdownTimeoutMs();
    closed = true;
    for (SinkChannel channel : channels) {
      channel.drainUntil(deadline);
    }
    // No interrupts: an interrupted thread inside file I/O closes the FileChannel it is using.
    stopReplayer = true;
    if (replayer != null) {
      wakeReplayer();
      join(replayer);
    }
    stopBatcher = true;
    queue.offer(FLUSH); // wakes the batcher if it waits for events; if the queue is full it is busy anyway
    join(batcher);
    boolean delivered = true;
    try {
      for (SinkChannel channel : channels) {
        delivered &= channel.awaitIdle(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      delivered = false;
    }
    for (SinkChannel channel : channels) {
      channel.close();
    }
    timer.shutdownNow();
    // events that raced past `closed` into the queue after the batcher's last look
    List<String> late = new ArrayList<>();
    queue.drainTo(late);
    late.removeIf(event -> event == FLUSH);
    for (String event : late) {
      spillOrDrop(event, "closed");
    }
    spool.close();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long spooled = spool.pendingBytes();
    LOG.log(Level.INFO, "delivery " + name + " stopped in " + (tuning.clock.millis() - started) + " ms"
        + (delivered ? "" : " (shutdownTimeoutMs reached)")
        + (spooled > 0 ? "; " + spooled + " bytes wait in the spool for the next start" : ""));
  }

  private static void join(Thread thread) {
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(EventSink sink) {
    try {
      sink.close();
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "closing a sink failed", e);
    }
  }
}
