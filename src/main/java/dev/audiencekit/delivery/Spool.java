package dev.audiencekit.delivery;

import dev.audiencekit.internal.PrivateFiles;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jakarta.json.spi.JsonProvider;

/**
 * The on-disk spool: one folder per sink of append-only segment files ({@link SpoolQueue}), a
 * {@code dead-letter.jsonl} file, and a {@code .lock} file held while an instance uses the folder.
 *
 * <p>Nothing here runs on a request thread except {@link #offerEvent}, which only puts the event in a
 * bounded buffer. One writer thread does every write and forces the files to disk at most
 * {@value #FORCE_AFTER_MS} ms after a write. Total size, segments and dead letters together, is bounded
 * by {@code spool.maxBytes}; a batch that does not fit is dropped and counted as {@code spool-full}.
 * Dead letters may take at most a quarter of it ({@link #deadLetterBound}), so batches the collector
 * refuses (a revoked write key refuses all) cannot take the room an outage needs; refused events that do
 * not fit are dropped and counted as {@code dead-letter-full}.
 *
 * <p>The files hold personal data: folders are created {@code 0700} and files {@code 0600} where the
 * file system has POSIX permissions ({@link PrivateFiles}).
 *
 * <p>The folder is claimed only when it is needed: at start when it (or a sibling) holds batches left by
 * an earlier run, otherwise when the first batch has to be written. An instance that never spools, such
 * as a filter in an application's tests that is never destroyed, creates and locks no folder at all.
 * The lock is released when the instance closes or its JVM ends, so the next instance reuses the folder.
 *
 * <p>If another live instance holds the folder's lock, the spool uses the first free sibling folder
 * {@code <folder>-2} … {@code <folder>-9}, and says so at WARN; an instance that gets the main folder
 * takes over the segments of unlocked siblings, so nothing stays behind there. If every candidate is
 * locked the spool is disabled, with a WARN.
 */
final class Spool implements AutoCloseable {
  /** Looked up once: {@code Json.createX} would search for the provider on every call. */
  private static final JsonProvider JSON_P = JsonProvider.provider();

  static final String DEAD_LETTER_FILE = "dead-letter.jsonl";
  static final String LOCK_FILE = ".lock";
  static final int FORCE_AFTER_MS = 100;
  private static final int MAX_SIBLINGS = 9;
  private static final Logger LOG = System.getLogger(Spool.class.getName());

  /** The folder asked for; {@link #dir} is the one claimed (it or a sibling), null until then. */
  private final Path base;
  private Path dir;
  /** Set once {@link #dir} is locked and loaded; readers see no queue before. */
  private volatile boolean claimed;
  /** Set on the writer thread when no folder could be claimed: writes are then dropped. */
  private boolean unusable;
  private final long maxBytes;
  private final Metrics metrics;
  private final Outages outages;
  private final Tuning tuning;
  /** Bytes of the segment files (what waits to be delivered). */
  private final AtomicLong bytes = new AtomicLong();
  /** Bytes of the dead-letter file. */
  private final AtomicLong deadLetterBytes = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, SpoolQueue> queues = new ConcurrentHashMap<>();
  private final List<String> targets;
  private final ArrayBlockingQueue<String> overflow;
  private final ArrayBlockingQueue<Request> requests;
  private FileChannel lockChannel;
  private FileLock lock;
  private FileChannel deadLetters;
  private Thread writer;
  private volatile boolean stopping;
  private volatile boolean stopped;
  private Runnable onWrite = () -> { };

  /** A batch for {@code target}, or a dead-letter line with the number of events in it. */
  private record Request(String target, List<String> events, String deadLetter, int deadLetterEvents) {}

  private Spool(Path base, long maxBytes, List<String> targets, Metrics metrics, Outages outages, Tuning tuning) {
    this.base = base;
    this.maxBytes = maxBytes;
    this.targets = List.copyOf(targets);
    this.metrics = metrics;
    this.outages = outages;
    this.tuning = tuning;
    this.overflow = base == null ? null : new ArrayBlockingQueue<>(tuning.spoolBufferEvents);
    this.requests = base == null ? null : new ArrayBlockingQueue<>(tuning.spoolBufferBatches);
  }

  /** A spool that keeps nothing: every write is a drop counted as {@code spool-disabled}. */
  static Spool disabled(List<String> targets, Metrics metrics, Outages outages, Tuning tuning) {
    return new Spool(null, 0, targets, metrics, outages, tuning);
  }

  /**
   * Starts the spool for the folder {@code dir} and its writer thread. When the folder or a sibling holds
   * batches from an earlier run, claims it now (locks it, or a sibling when it is locked) and loads them;
   * otherwise the folder is claimed when the first batch is written.
   */
  static Spool open(Path dir, long maxBytes, List<String> targets, Metrics metrics, Outages outages,
      Tuning tuning, String name) {
    Path base = dir.toAbsolutePath().normalize();
    narrowIfPresent(base);
    Spool spool = new Spool(base, maxBytes, targets, metrics, outages, tuning);
    if (holdsBatches(base) && !spool.claim()) {
      return disabled(targets, metrics, outages, tuning);
    }
    spool.startWriter(name);
    return spool;
  }

  /**
   * An existing folder that others can read is narrowed to its owner at once, before it is claimed: what
   * an earlier run (or an earlier version) left there holds personal data.
   */
  private static void narrowIfPresent(Path base) {
    if (Files.isDirectory(base)) {
      try {
        PrivateFiles.ownFolder(base);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "spool folder " + base + " could not be narrowed to its owner: " + e);
      }
    }
  }

  /** True when {@code base} or one of its siblings holds segment files (or cannot be looked into). */
  private static boolean holdsBatches(Path base) {
    for (int n = 1; n <= MAX_SIBLINGS; n++) {
      Path candidate = n == 1 ? base : base.resolveSibling(base.getFileName() + "-" + n);
      if (!Files.isDirectory(candidate)) {
        continue;
      }
      try (var segments = Files.find(candidate, 2, (p, a) -> a.isRegularFile() && SpoolQueue.sequenceOf(p) >= 0)) {
        if (segments.findAny().isPresent()) {
          return true;
        }
      } catch (IOException | RuntimeException e) {
        return true; // claim() reports what is wrong with it
      }
    }
    return false;
  }

  /**
   * Locks the folder, or the first free sibling when another live instance holds it, takes over the
   * files of unlocked siblings and loads what earlier runs left. False, after a WARN, when no folder
   * can be used.
   */
  private boolean claim() {
    for (int n = 1; n <= MAX_SIBLINGS; n++) {
      Path candidate = n == 1 ? base : base.resolveSibling(base.getFileName() + "-" + n);
      dir = candidate;
      try {
        if (!tryLock()) {
          dir = null;
          LOG.log(Level.WARNING, "spool folder " + candidate + " is in use by another live instance"
              + (n < MAX_SIBLINGS ? "; trying the next sibling folder" : ""));
          continue;
        }
        if (n > 1) {
          LOG.log(Level.WARNING, "spool uses " + candidate + " instead of " + base
              + ", which another instance holds; the next instance to get " + base + " takes over these files");
        } else {
          adoptSiblings(base);
        }
        load();
        claimed = true;
        return true;
      } catch (IOException | RuntimeException e) {
        releaseLock();
        dir = null;
        LOG.log(Level.WARNING, "spool disabled: cannot use " + candidate + " (" + Outages.describe(e)
            + "); events that do not fit in memory or cannot be delivered now will be dropped and counted");
        return false;
      }
    }
    LOG.log(Level.WARNING, "spool disabled: " + base + " and its siblings are all in use by other instances;"
        + " events that do not fit in memory or cannot be delivered now will be dropped and counted");
    return false;
  }

  /** On the writer thread: claims the folder the first time something is written; false when none can be. */
  private boolean ready() {
    if (dir == null && !unusable) {
      unusable = !claim();
    }
    return !unusable;
  }

  boolean enabled() {
    return base != null;
  }

  /** The folder claimed, or the one asked for while none is claimed yet. */
  Path dir() {
    return claimed ? dir : base;
  }

  /** Bytes on disk counted against {@code spool.maxBytes}: segments and dead letters. */
  long bytes() {
    return bytes.get() + deadLetterBytes.get();
  }

  /** Bytes of spooled batches, waiting to be delivered. */
  long pendingBytes() {
    return bytes.get();
  }

  /** The most {@code dead-letter.jsonl} may hold: a quarter of {@code spool.maxBytes}. */
  static long deadLetterBound(long maxBytes) {
    return maxBytes / 4;
  }

  void onWrite(Runnable listener) {
    this.onWrite = listener;
  }

  /** The folder name of a sink's spool: its spec made safe for a file name. */
  static String folderName(String target) {
    String safe = target.replaceAll("[^A-Za-z0-9._-]", "_");
    if (safe.length() > 60 || !safe.equals(target)) {
      safe = (safe.length() > 40 ? safe.substring(0, 40) : safe) + "-" + Integer.toHexString(target.hashCode());
    }
    return safe;
  }

  /** The spooled batches of {@code target}; null while no folder is claimed (then there are none). */
  SpoolQueue queue(String target) {
    return claimed ? queueIn(target) : null;
  }

  private SpoolQueue queueIn(String target) {
    return queues.computeIfAbsent(target, t -> new SpoolQueue(this, t, dir.resolve(folderName(t))));
  }

  private boolean tryLock() throws IOException {
    if (!PrivateFiles.ownFolder(dir)) {
      LOG.log(Level.WARNING, "spool folder " + dir + " can be read by other users and its permissions cannot be"
          + " narrowed to the owner (not ours?); spooled events hold personal data, so check it");
    }
    lockChannel = PrivateFiles.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another instance in this JVM
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      return false;
    }
    return true;
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "releasing the spool lock failed", e);
    }
    lock = null;
    lockChannel = null;
  }

  /** Moves the segment files of unlocked sibling folders (left by a run that had to use one) here. */
  private void adoptSiblings(Path base) {
    for (int n = 2; n <= MAX_SIBLINGS; n++) {
      Path sibling = base.resolveSibling(base.getFileName() + "-" + n);
      if (!Files.isDirectory(sibling)) {
        continue;
      }
      try (FileChannel channel = PrivateFiles.open(sibling.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        FileLock siblingLock;
        try {
          siblingLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          siblingLock = null;
        }
        if (siblingLock == null) {
          continue; // still in use
        }
        int moved = 0;
        for (String target : targets) {
          Path from = sibling.resolve(folderName(target));
          if (!Files.isDirectory(from)) {
            continue;
          }
          Path to = dir.resolve(folderName(target));
          PrivateFiles.createFolders(to);
          List<Path> files = new ArrayList<>();
          try (var listing = Files.list(from)) {
            listing.filter(p -> SpoolQueue.sequenceOf(p) >= 0).forEach(files::add);
          }
          files.sort((a, b) -> Long.compare(SpoolQueue.sequenceOf(a), SpoolQueue.sequenceOf(b)));
          long next = 0;
          try (var existing = Files.list(to)) {
            next = existing.mapToLong(SpoolQueue::sequenceOf).max().orElse(0) + 1;
          }
          for (Path file : files) {
            Files.move(file, to.resolve(String.format("%020d%s", next++, SpoolQueue.SUFFIX)));
            moved++;
          }
        }
        siblingLock.release();
        if (moved > 0) {
          LOG.log(Level.INFO, "spool took over " + moved + " file(s) from " + sibling);
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot take over the spool files of " + sibling + ": " + Outages.describe(e));
      }
    }
  }

  private void load() throws IOException {
    long total = 0;
    long highest = 0;
    for (String target : targets) {
      SpoolQueue queue = queueIn(target);
      total += queue.load();
      highest = Math.max(highest, queue.highestSequence());
    }
    bytes.set(total);
    sequence.set(highest + 1);
    Path deadLetterFile = dir.resolve(DEAD_LETTER_FILE);
    deadLetterBytes.set(Files.isRegularFile(deadLetterFile) ? Files.size(deadLetterFile) : 0);
    if (total > 0) {
      LOG.log(Level.INFO, "spool " + dir + " holds " + total + " bytes from an earlier run; delivering them");
    }
    try (var listing = Files.list(dir)) {
      listing.filter(Files::isDirectory)
          .filter(p -> targets.stream().noneMatch(t -> folderName(t).equals(p.getFileName().toString())))
          .forEach(p -> LOG.log(Level.WARNING, "spool folder " + p + " belongs to a sink that is not configured"
              + " now; its files are left in place"));
    }
  }

  private void startWriter(String name) {
    writer = new DaemonThreads(name, "spool", false).newThread(this::runWriter);
    writer.start();
  }

  // ------------------------------------------------------------------ entry points

  /**
   * Takes an event that did not fit in the memory queue, for every sink. Never blocks.
   *
   * @return false when the spool is disabled, closed or its buffer is full (the caller counts the drop)
   */
  boolean offerEvent(String event) {
    return overflow != null && !stopped && overflow.offer(event);
  }

  /**
   * Spools a batch for one sink. Waits up to {@code maxWaitMs} for room in the writer's buffer.
   * Drops (counted) when the spool is disabled or stays busy.
   */
  void write(String target, List<String> events, long maxWaitMs) {
    if (requests == null || stopped) {
      drop(events.size(), requests == null ? "spool-disabled" : "closed",
          "spool " + (requests == null ? "disabled" : "closed") + ": dropped " + events.size() + " event(s) for sink "
              + target);
      return;
    }
    if (offerUninterruptibly(new Request(target, events, null, 0), maxWaitMs)) {
      return;
    }
    drop(events.size(), "spool-backlog",
        "spool writer is behind (disk too slow?): dropped " + events.size() + " event(s) for sink " + target);
  }

  /**
   * Appends one {@code {"status":…,"response":…,"batch":[…]}} line to the dead-letter file, when it fits
   * within its bound; otherwise the events are dropped and counted. Nothing of the events is logged.
   */
  void deadLetter(int status, String response, List<String> events) {
    if (requests == null || stopped) {
      drop(events.size(), requests == null ? "spool-disabled" : "closed", "no spool folder to keep a batch refused"
          + " with status " + status + " in: dropped " + events.size() + " event(s)");
      return;
    }
    StringBuilder line = new StringBuilder(64 + events.size() * 256);
    line.append("{\"status\":").append(status).append(",\"response\":")
        .append(JSON_P.createValue(response == null ? "" : response).toString()).append(",\"batch\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(events.get(i));
    }
    line.append("]}\n");
    if (offerUninterruptibly(new Request(null, null, line.toString(), events.size()), 5_000)) {
      return;
    }
    drop(events.size(), "spool-backlog", "spool writer is behind (disk too slow?): dropped " + events.size()
        + " event(s) of a batch refused with status " + status);
  }

  /** Waits for room even if the calling thread is interrupted (the interrupt is kept for the caller). */
  private boolean offerUninterruptibly(Request request, long maxWaitMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMs));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return requests.offer(request, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void drop(int count, String reason, String message) {
    for (int i = 0; i < count; i++) {
      metrics.dropped(reason);
    }
    outages.warn("drop:" + reason, message, null);
  }

  // ------------------------------------------------------------------ callbacks from queues

  void released(long size) {
    bytes.addAndGet(-size);
  }

  void problem(String kind, String message, Throwable cause) {
    outages.warn(kind, message, cause);
  }

  void corrupt(Path file, long offset, long size, String damage, Path setAside) {
    metrics.spoolCorruptions.increment();
    LOG.log(Level.WARNING, "spool file " + file + " is damaged at byte " + offset + " (" + damage
        + "); the records before it are delivered, the remaining " + size + " bytes were moved to " + setAside);
  }

  // ------------------------------------------------------------------ the writer thread

  private void runWriter() {
    long forceDeadline = 0;
    List<String> events = new ArrayList<>();
    List<Request> batch = new ArrayList<>();
    while (true) {
      boolean finishing = stopping;
      try {
        long waitNanos = forceDeadline == 0 ? TimeUnit.MILLISECONDS.toNanos(FORCE_AFTER_MS)
            : Math.max(0, forceDeadline - System.nanoTime());
        Request first = finishing ? requests.poll() : requests.poll(waitNanos, TimeUnit.NANOSECONDS);
        boolean wrote = false;
        overflow.drainTo(events);
        if (!events.isEmpty()) {
          wrote |= writeEverywhere(events);
          events.clear();
        }
        if (first != null) {
          batch.add(first);
          requests.drainTo(batch);
          for (Request request : batch) {
            wrote |= handle(request);
          }
          batch.clear();
        }
        for (SpoolQueue queue : queues.values()) {
          if (queue.wantRotate) {
            queue.seal();
          }
        }
        if (wrote) {
          onWrite.run();
          if (forceDeadline == 0) {
            forceDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FORCE_AFTER_MS);
          }
        }
        if (forceDeadline != 0 && System.nanoTime() - forceDeadline >= 0) {
          forceAll();
          forceDeadline = 0;
        }
        if (finishing && first == null && overflow.isEmpty()) {
          break;
        }
      } catch (InterruptedException e) {
        // nobody should interrupt this thread; carry on, the loop sees `stopping`
      } catch (IOException | RuntimeException e) {
        outages.warn("spool-write", "spool write failed", e);
      }
    }
    try {
      forceAll();
      for (SpoolQueue queue : queues.values()) {
        queue.seal();
      }
      if (deadLetters != null) {
        deadLetters.force(true);
        deadLetters.close();
      }
    } catch (IOException e) {
      outages.warn("spool-write", "spool close failed", e);
    }
  }

  private boolean writeEverywhere(List<String> events) {
    if (!ready()) {
      drop(events.size(), "spool-disabled", "spool disabled: dropped " + events.size() + " event(s)");
      return false;
    }
    boolean wrote = false;
    List<String> copy = List.copyOf(events);
    byte[] record = SpoolQueue.encode(copy);
    boolean counted = false;
    for (String target : targets) {
      if (append(target, copy, record, !counted)) {
        counted = true;
        wrote = true;
      }
    }
    return wrote;
  }

  private boolean handle(Request request) throws IOException {
    if (!ready()) {
      if (request.deadLetter != null) {
        drop(request.deadLetterEvents, "spool-disabled", "refused batch of " + request.deadLetterEvents
            + " event(s) for sink " + request.target + " not kept: there is no spool folder");
      } else {
        drop(request.events.size(), "spool-disabled", "spool disabled: dropped " + request.events.size()
            + " event(s) for sink " + request.target);
      }
      return false;
    }
    if (request.deadLetter != null) {
      return appendDeadLetter(request.deadLetter.getBytes(StandardCharsets.UTF_8), request.deadLetterEvents);
    }
    return append(request.target, request.events, SpoolQueue.encode(request.events), true);
  }

  /** Appends one line to the dead-letter file when it fits under both bounds. */
  private boolean appendDeadLetter(byte[] line, int events) throws IOException {
    long held = deadLetterBytes.get();
    if (held + line.length > deadLetterBound(maxBytes) || bytes() + line.length > maxBytes) {
      drop(events, "dead-letter-full", DEAD_LETTER_FILE + " is full (" + held + " bytes; it may hold a quarter of "
          + "spool.maxBytes, " + deadLetterBound(maxBytes) + " bytes): dropped " + events + " refused event(s);"
          + " move the file away to keep more");
      return false;
    }
    if (deadLetters == null) {
      deadLetters = PrivateFiles.open(dir.resolve(DEAD_LETTER_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      deadLetters.write(buffer);
    }
    deadLetterBytes.addAndGet(line.length);
    return true;
  }

  /** Appends one record for {@code target} when it fits under {@code spool.maxBytes}. */
  private boolean append(String target, List<String> events, byte[] record, boolean count) {
    if (bytes() + record.length > maxBytes) {
      drop(events.size(), "spool-full", "spool full (" + bytes() + " of " + maxBytes
          + " bytes, spool.maxBytes): dropped " + events.size() + " event(s) for sink " + target);
      return false;
    }
    SpoolQueue queue = queueIn(target);
    try {
      if (queue.activeSize() >= tuning.segmentBytes) {
        queue.seal();
      }
      queue.append(record, queue.needsSegment() ? sequence.getAndIncrement() : -1);
    } catch (IOException e) {
      drop(events.size(), "spool-error", "spool write failed for sink " + target + " in " + dir
          + ": dropped " + events.size() + " event(s): " + Outages.describe(e));
      return false;
    }
    bytes.addAndGet(record.length);
    if (count) {
      metrics.eventsSpooled.add(events.size());
    }
    return true;
  }

  private void forceAll() throws IOException {
    for (SpoolQueue queue : queues.values()) {
      queue.force();
    }
    if (deadLetters != null) {
      deadLetters.force(false);
    }
  }

  /** Writes what is buffered, forces it to disk, closes the files and releases the folder. */
  @Override
  public void close() {
    if (writer == null || stopped) {
      stopped = true;
      return;
    }
    stopping = true; // no interrupt: it would close the FileChannel the writer is using
    try {
      writer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped = true;
    for (SpoolQueue queue : queues.values()) {
      queue.closeReading();
    }
    // anything that raced in after the writer stopped is counted, not silently lost
    if (overflow != null) {
      List<String> late = new ArrayList<>();
      overflow.drainTo(late);
      for (int i = 0; i < late.size(); i++) {
        metrics.dropped("closed");
      }
    }
    releaseLock();
  }
}
