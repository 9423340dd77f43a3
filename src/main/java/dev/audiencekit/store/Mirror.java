package dev.audiencekit.store;

import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.store.IdentityStore.FingerprintLink;
import dev.audiencekit.store.PendingWrites.LinkOp;
import dev.audiencekit.store.PendingWrites.Op;
import dev.audiencekit.store.PendingWrites.RecordOp;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-side mirror as the filter uses it: an {@link IdentityStore} wrapped with the guarantees of
 * SPEC §5. No method throws because of the store, and none blocks a request for longer than
 * {@code store.timeoutMs}.
 *
 * <ul>
 *   <li><b>Fail open.</b> Reads run on a small executor and are abandoned after {@code store.timeoutMs}:
 *       {@link #find} then answers {@code null} and {@link #restore} {@link Restore#FAILED}. Every
 *       failure and timeout is counted in {@code metrics.storeErrors} and logged at most once per 30 s
 *       (WARN), with one INFO when the store works again. For a moment (1 s) after a failure, reads do
 *       not even try (counted as errors too), so an outage costs requests nothing.</li>
 *   <li><b>Write-behind.</b> {@link #save}, {@link #delete}, {@link #link} and {@link #unlink} only queue
 *       the write; one background thread writes the queue every {@code flushInterval} (200 ms by
 *       default), coalesced per key (the latest record per anonymousId wins). With a shared database,
 *       other nodes therefore see a write within about a second (flush interval plus the write itself)
 *       while the database is healthy. The queue is bounded ({@code maxPending}, 10 000 by default): on
 *       overflow the oldest write is dropped, counted as a store error and logged. A failed write stays
 *       queued and is retried with backoff (up to 5 s).</li>
 *   <li><b>Read-your-writes.</b> {@link #find} and {@link #restore} look at the queued and in-flight
 *       writes first, so a browser's next request on this node sees what its previous request wrote,
 *       even before the database has it.</li>
 *   <li><b>TTL.</b> Records older than {@code store.ttlDays} and links not seen within it are ignored,
 *       and {@link IdentityStore#expire} runs on the background thread a minute after start and then
 *       hourly.</li>
 * </ul>
 *
 * <p>With {@link MemoryStore} there is nothing to wait for: calls go straight to it, on the caller's
 * thread, and no threads are started.
 *
 * <p>{@link #close()} writes what is queued (for at most the close timeout, 5 s by default), stops the
 * threads and closes the store. Writes after {@code close()} are dropped and counted as store errors;
 * reads after it fail open.
 */
public final class Mirror implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Mirror.class.getName());
  /** Links fetched per restore: enough to tell one from several even after local unlinks. */
  static final int RESTORE_LINK_LIMIT = 8;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  /** The answer of {@link #restore}. */
  public record Restore(Outcome outcome, String anonymousId) {
    /** What a fingerprint lookup found. */
    public enum Outcome {
      /** Exactly one live anonymousId is linked to the fingerprint: {@link #anonymousId()}. */
      FOUND,
      /** Two or more are: restore is refused (counted in {@code restoresRefusedAmbiguous}). */
      AMBIGUOUS,
      /** None is. */
      NONE,
      /** The store failed or timed out (counted in {@code storeErrors}); nothing is known. */
      FAILED
    }

    public static final Restore AMBIGUOUS = new Restore(Outcome.AMBIGUOUS, null);
    public static final Restore NONE = new Restore(Outcome.NONE, null);
    public static final Restore FAILED = new Restore(Outcome.FAILED, null);

    public Restore {
      Objects.requireNonNull(outcome, "outcome");
      if ((outcome == Outcome.FOUND) != (anonymousId != null)) {
        throw new IllegalArgumentException("an anonymousId comes with FOUND and only with it");
      }
    }

    public static Restore found(String anonymousId) {
      return new Restore(Outcome.FOUND, Objects.requireNonNull(anonymousId, "anonymousId"));
    }

    public boolean isFound() {
      return outcome == Outcome.FOUND;
    }
  }

  private final IdentityStore store;
  private final Metrics metrics;
  private final Clock clock;
  private final Duration ttl;
  private final long timeoutNanos;
  private final Duration closeTimeout;
  private final boolean direct;
  private final StoreHealth health;
  private final PendingWrites pending;
  private final ThreadPoolExecutor readers;
  private final Writer writer;
  private volatile boolean closed;

  private Mirror(Builder b) {
    this.store = b.store;
    this.metrics = b.metrics;
    this.clock = b.clock;
    this.ttl = b.ttl;
    this.timeoutNanos = b.timeout.toNanos();
    this.closeTimeout = b.closeTimeout;
    this.direct = store instanceof MemoryStore;
    this.health = new StoreHealth(LOG, metrics, clock, b.failFast);
    this.pending = new PendingWrites(b.maxPending);
    if (direct) {
      readers = null;
      writer = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      readers = new ThreadPoolExecutor(b.readThreads, b.readThreads, 60, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(b.readThreads * 4), r -> {
            Thread t = new Thread(r, "audiencekit-mirror-read-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      readers.allowCoreThreadTimeOut(true);
      writer = new Writer(b.flushInterval, b.expireInterval);
      writer.start();
    }
  }

  /**
   * Opens the store named by the {@code store} init-param ({@link Stores#open}) and wraps it: what
   * {@code AnalyticsFilter.init()} calls.
   *
   * @throws dev.audiencekit.config.InvalidSettingException naming {@code store} when it cannot be opened
   */
  public static Mirror open(Settings settings, Metrics metrics, Clock clock) {
    return create(Stores.open(settings), settings, metrics, clock);
  }

  /** A mirror over {@code store} configured by {@code store.timeoutMs} and {@code store.ttlDays}. */
  public static Mirror create(IdentityStore store, Settings settings, Metrics metrics, Clock clock) {
    return builder(store)
        .metrics(metrics)
        .clock(clock)
        .timeout(Duration.ofMillis(settings.storeTimeoutMs()))
        .ttl(Duration.ofDays(settings.storeTtlDays()))
        .build();
  }

  public static Builder builder(IdentityStore store) {
    return new Builder(store);
  }

  // ---- reads ----

  /**
   * The record of {@code anonymousId}, including writes still queued on this node; {@code null} when
   * there is none, it is older than {@code store.ttlDays}, or the store failed or timed out.
   */
  public IdentityRecord find(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    RecordOp queued = pending.peek(anonymousId);
    IdentityRecord r;
    if (queued != null) {
      r = queued.record();
    } else {
      r = read("find", () -> store.find(anonymousId), null);
    }
    return r == null || r.updatedAt().isBefore(clock.instant().minus(ttl)) ? null : r;
  }

  /**
   * Looks {@code fingerprint} up (SPEC §5 step 3): {@code FOUND} only when exactly one anonymousId was
   * linked to it within {@code store.ttlDays} (writes queued on this node included); {@code AMBIGUOUS}
   * when two or more were (counted in {@code metrics.restoresRefusedAmbiguous}); {@code NONE};
   * {@code FAILED} when the store failed or timed out.
   */
  public Restore restore(String fingerprint) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Instant since = clock.instant().minus(ttl);
    List<FingerprintLink> links = read("restore", () -> store.links(fingerprint, since, RESTORE_LINK_LIMIT), null);
    if (links == null) {
      return Restore.FAILED;
    }
    Set<String> linked = new HashSet<>();
    for (FingerprintLink l : links) {
      if (!l.lastSeen().isBefore(since)) {
        linked.add(l.anonymousId());
      }
    }
    pending.overlay(fingerprint, linked, since);
    // A full page of links may hide more than it shows, even after local unlinks: never call it unique.
    if (linked.size() > 1 || links.size() >= RESTORE_LINK_LIMIT) {
      metrics.restoresRefusedAmbiguous.increment();
      return Restore.AMBIGUOUS;
    }
    return linked.isEmpty() ? Restore.NONE : Restore.found(linked.iterator().next());
  }

  /**
   * When {@code anonymousId} was last in use with any fingerprint (queued links on this node included),
   * or {@code null} when never; {@link Instant#MAX} when the store failed or timed out, so that a caller
   * waiting for dormancy treats an unknown answer as "in use".
   */
  public Instant lastSeen(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Instant stored = read("lastSeen", () -> {
      Instant t = store.lastSeen(anonymousId);
      return t == null ? Instant.MIN : t;
    }, Instant.MAX);
    Instant queued = pending.latestLink(anonymousId);
    Instant latest = queued != null && queued.isAfter(stored) ? queued : stored;
    return latest.equals(Instant.MIN) ? null : latest;
  }

  /** Runs a store read bounded by the timeout; {@code failed} on failure, timeout or fail-fast. */
  private <T> T read(String what, Callable<T> call, T failed) {
    if (direct) {
      try {
        T value = call.call();
        health.success();
        return value;
      } catch (Exception | LinkageError e) {
        health.failure(what, e);
        return failed;
      }
    }
    if (health.failFast()) {
      health.skipped();
      return failed;
    }
    Future<T> future;
    try {
      future = readers.submit(call);
    } catch (RejectedExecutionException e) {
      health.failure(what + " (all store readers busy)", e);
      return failed;
    }
    try {
      T value = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
      health.success();
      return value;
    } catch (TimeoutException e) {
      future.cancel(true);
      health.failure(what, new TimeoutException("no answer within " + Duration.ofNanos(timeoutNanos).toMillis()
          + " ms (store.timeoutMs)"));
    } catch (ExecutionException e) {
      health.failure(what, e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
    }
    return failed;
  }

  // ---- writes ----

  /** Queues {@code record} to be saved (replacing a queued one of the same anonymousId). */
  public void save(IdentityRecord record) {
    Objects.requireNonNull(record, "record");
    if (direct) {
      write("save", () -> store.save(record));
    } else if (open()) {
      queued(pending.save(record));
    }
  }

  /** Queues the deletion of the record of {@code anonymousId} and of every link to it. */
  public void delete(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    if (direct) {
      write("delete", () -> store.delete(anonymousId));
    } else if (open()) {
      queued(pending.delete(anonymousId));
    }
  }

  /**
   * Records that {@code anonymousId} was in use with {@code fingerprint}, now: it came with a live
   * cookie, or was just restored by it. Not throttled here: the caller decides how often.
   */
  public void link(String fingerprint, String anonymousId) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(anonymousId, "anonymousId");
    Instant now = clock.instant();
    if (direct) {
      write("link", () -> store.link(fingerprint, anonymousId, now));
    } else if (open()) {
      queued(pending.link(fingerprint, anonymousId, now));
    }
  }

  /** Removes the link of {@code anonymousId} to {@code fingerprint} (reset, user switch). */
  public void unlink(String fingerprint, String anonymousId) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(anonymousId, "anonymousId");
    if (direct) {
      write("unlink", () -> store.unlink(fingerprint, anonymousId));
    } else if (open()) {
      queued(pending.unlink(fingerprint, anonymousId));
    }
  }

  private void write(String what, Runnable call) {
    try {
      call.run();
      health.success();
    } catch (RuntimeException | LinkageError e) {
      health.failure(what, e);
    }
  }

  /** False (and the write counted as a store error) once the mirror is closed. */
  private boolean open() {
    if (closed) {
      metrics.storeErrors.increment();
      return false;
    }
    return true;
  }

  private void queued(int dropped) {
    if (dropped > 0) {
      for (int i = 0; i < dropped; i++) {
        health.failure("queueing a write", new IllegalStateException(
            "the mirror's write queue is full; the oldest queued write was dropped"));
      }
    }
    writer.wake();
  }

  /** Writes queued now (for tests and the inspector). */
  int pendingWrites() {
    return pending.size();
  }

  /** Runs the TTL clean-up now, on the caller's thread; returns how many rows went (-1 on failure). */
  int expireNow() {
    try {
      int removed = store.expire(clock.instant().minus(ttl));
      health.success();
      return removed;
    } catch (RuntimeException | LinkageError e) {
      health.failure("expire", e);
      return -1;
    }
  }

  /** Writes what is queued (within the close timeout), stops the threads, closes the store. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      writer.shutdown(closeTimeout);
      readers.shutdownNow();
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "audiencekit store: close failed: " + e);
    }
  }

  @Override
  public String toString() {
    return "Mirror[" + store + (direct ? "" : ", " + pending.size() + " writes queued") + "]";
  }

  // ---- the background writer ----

  private final class Writer extends Thread {
    private final long flushNanos;
    private final long expireNanos;
    private final Object idleSignal = new Object();
    private final Object closeSignal = new Object();
    private volatile boolean idle;
    private volatile boolean closing;
    private long deadline; // System.nanoTime() by which a closing writer gives up
    private long nextExpire;
    private int failures;

    Writer(Duration flushInterval, Duration expireInterval) {
      super("audiencekit-mirror-writer");
      setDaemon(true);
      this.flushNanos = flushInterval.toNanos();
      this.expireNanos = expireInterval.toNanos();
      this.nextExpire = System.nanoTime() + Math.min(expireNanos, TimeUnit.MINUTES.toNanos(1));
    }

    /** Called after every queued write: wakes the writer when it sleeps because there was nothing to do. */
    void wake() {
      if (idle) {
        synchronized (idleSignal) {
          idleSignal.notifyAll();
        }
      }
    }

    @Override
    public void run() {
      try {
        while (true) {
          waitForWork();
          if (!closing && !pending.isEmpty()) {
            // Let writes coalesce for one flush interval (longer, with backoff, after failures).
            pause(failures == 0 ? flushNanos : Math.min(MAX_BACKOFF.toNanos(), flushNanos << Math.min(failures, 10)));
          }
          if (closing) {
            flushUntilDeadline();
            return;
          }
          if (!pending.isEmpty()) {
            flushOnce();
          }
          if (System.nanoTime() - nextExpire >= 0) {
            nextExpire = System.nanoTime() + expireNanos;
            int removed = expireNow();
            if (removed > 0) {
              LOG.log(Level.DEBUG, "audiencekit store: expired " + removed + " records and links");
            }
          }
        }
      } catch (RuntimeException | Error e) {
        LOG.log(Level.ERROR, "audiencekit store: the mirror writer stopped unexpectedly; "
            + pending.size() + " queued writes are lost and later writes are not stored", e);
      }
    }

    /** Sleeps while nothing is queued, until the next expiry run or shutdown. */
    private void waitForWork() {
      synchronized (idleSignal) {
        idle = true; // before looking at the queue: a write queued after this look will notify
        try {
          while (!closing && pending.isEmpty()) {
            long left = nextExpire - System.nanoTime();
            if (left <= 0) {
              break;
            }
            TimeUnit.NANOSECONDS.timedWait(idleSignal, left);
          }
        } catch (InterruptedException e) {
          closing = true;
        } finally {
          idle = false;
        }
      }
    }

    private void pause(long nanos) {
      synchronized (closeSignal) {
        if (!closing && nanos > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(closeSignal, nanos);
          } catch (InterruptedException e) {
            closing = true;
          }
        }
      }
    }

    /** Writes one batch; returns true when all of it was written. */
    private boolean flushOnce() {
      List<Op> batch = pending.take();
      for (int i = 0; i < batch.size(); i++) {
        Op op = batch.get(i);
        try {
          apply(op);
        } catch (RuntimeException | LinkageError e) {
          failures++;
          health.failure(op instanceof RecordOp ? "saving a record" : "writing a fingerprint link", e);
          int dropped = pending.failed(batch.subList(i, batch.size()));
          for (int d = 0; d < dropped; d++) {
            health.failure("queueing a write", new IllegalStateException(
                "the mirror's write queue is full; the oldest queued write was dropped"));
          }
          return false;
        }
      }
      pending.done();
      if (!batch.isEmpty()) {
        failures = 0;
        health.success();
      }
      return true;
    }

    private void apply(Op op) {
      if (op instanceof RecordOp r) {
        if (r.delete()) {
          store.delete(r.anonymousId());
        }
        if (r.record() != null) {
          store.save(r.record());
        }
      } else if (op instanceof LinkOp l) {
        if (l.seen() == null) {
          store.unlink(l.fingerprint(), l.anonymousId());
        } else {
          store.link(l.fingerprint(), l.anonymousId(), l.seen());
        }
      }
    }

    private void flushUntilDeadline() {
      while (!pending.isEmpty()) {
        if (flushOnce()) {
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        } catch (InterruptedException e) {
          break;
        }
      }
      int lost = pending.size();
      if (lost > 0) {
        metrics.storeErrors.add(lost);
        LOG.log(Level.WARNING, "audiencekit store: " + lost + " queued mirror writes could not be written "
            + "before shutdown and are lost");
      }
    }

    void shutdown(Duration timeout) {
      deadline = System.nanoTime() + timeout.toNanos();
      closing = true;
      synchronized (closeSignal) {
        closeSignal.notifyAll();
      }
      synchronized (idleSignal) {
        idleSignal.notifyAll();
      }
      try {
        join(Math.max(1, timeout.toMillis() + 1_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (isAlive()) {
        interrupt();
      }
    }
  }

  /** Settings of a {@link Mirror}; every one has a default. */
  public static final class Builder {
    private final IdentityStore store;
    private Metrics metrics = new Metrics();
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofMillis(Settings.DEFAULT_STORE_TIMEOUT_MS);
    private Duration ttl = Duration.ofDays(Settings.DEFAULT_STORE_TTL_DAYS);
    private Duration flushInterval = Duration.ofMillis(200);
    private Duration expireInterval = Duration.ofHours(1);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private Duration failFast = Duration.ofSeconds(1);
    private int maxPending = 10_000;
    private int readThreads = 4;

    private Builder(IdentityStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    public Builder metrics(Metrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** Source of record and link times and of TTL cut-offs. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@code store.timeoutMs}: how long a request waits for a store read. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** {@code store.ttlDays}. */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /** How often queued writes are written (default 200 ms; keep it well under 1 s). */
    public Builder flushInterval(Duration flushInterval) {
      this.flushInterval = positive(flushInterval, "flushInterval");
      return this;
    }

    /** How often {@link IdentityStore#expire} runs (default 1 h; the first run is after 1 min at most). */
    public Builder expireInterval(Duration expireInterval) {
      this.expireInterval = positive(expireInterval, "expireInterval");
      return this;
    }

    /** How long {@link #close()} tries to write what is queued (default 5 s). */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
      return this;
    }

    /** After a failure, reads are skipped for this long (default 1 s; zero disables). */
    public Builder failFast(Duration failFast) {
      this.failFast = Objects.requireNonNull(failFast, "failFast");
      return this;
    }

    /** Bound of the write queue (default 10 000); the oldest write is dropped beyond it. */
    public Builder maxPending(int maxPending) {
      if (maxPending < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1: " + maxPending);
      }
      this.maxPending = maxPending;
      return this;
    }

    /** Threads running store reads (default 4); more reads than 4 per thread waiting are refused. */
    public Builder readThreads(int readThreads) {
      if (readThreads < 1) {
        throw new IllegalArgumentException("readThreads must be at least 1: " + readThreads);
      }
      this.readThreads = readThreads;
      return this;
    }

    public Mirror build() {
      return new Mirror(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
