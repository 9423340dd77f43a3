package dev.audiencekit.delivery;

import dev.audiencekit.metrics.Outages;
import dev.audiencekit.internal.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The spooled batches of one sink: append-only segment files {@code <sequence>.seg} in one folder.
 *
 * <p>A record is {@code MAGIC, payload length, CRC32 of payload, payload}, all integers big-endian;
 * the payload is the event count followed by each event as length and UTF-8 bytes. A record whose
 * header or checksum does not match marks the rest of its file as damaged: what precedes it is
 * delivered, the rest is moved to {@code <file>.corrupt} and reported.
 *
 * <p>Writing happens on the spool's writer thread only; reading, acknowledging and returning records
 * may come from any thread and are synchronised on this object.
 */
final class SpoolQueue {
  static final int MAGIC = 0x414B5331; // "AKS1"
  static final String SUFFIX = ".seg";
  private static final int HEADER = 12;
  private static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  /** One segment file. */
  static final class Segment {
    final Path path;
    final long sequence;
    long size;
    int outstanding;
    boolean fullyRead;

    Segment(Path path, long sequence, long size) {
      this.path = path;
      this.sequence = sequence;
      this.size = size;
    }
  }

  final String target;
  final Path dir;
  private final Spool spool;

  // writer side (writer thread only, except activeBytes which readers look at)
  private Segment active;
  private FileChannel activeChannel;
  private boolean dirty;
  private volatile long activeBytes;
  volatile boolean wantRotate;

  // reader side (guarded by this)
  private final ArrayDeque<Segment> unread = new ArrayDeque<>();
  private final ArrayDeque<SpoolRecord> returned = new ArrayDeque<>();
  private Segment reading;
  private DataInputStream in;
  private long readPosition;

  SpoolQueue(Spool spool, String target, Path dir) {
    this.spool = spool;
    this.target = target;
    this.dir = dir;
  }

  /** Finds the segments left by earlier runs, oldest first; returns their total size. */
  long load() throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Segment> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        long sequence = sequenceOf(file);
        if (sequence >= 0) {
          found.add(new Segment(file, sequence, Files.size(file)));
        }
      }
    }
    found.sort((a, b) -> Long.compare(a.sequence, b.sequence));
    long total = 0;
    synchronized (this) {
      for (Segment segment : found) {
        unread.addLast(segment);
        total += segment.size;
      }
    }
    return total;
  }

  static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  synchronized long highestSequence() {
    long max = -1;
    for (Segment segment : unread) {
      max = Math.max(max, segment.sequence);
    }
    return max;
  }

  // ------------------------------------------------------------------ writing (writer thread)

  static byte[] encode(List<String> events) {
    List<byte[]> encoded = new ArrayList<>(events.size());
    int payload = 4;
    for (String event : events) {
      byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
      encoded.add(bytes);
      payload += 4 + bytes.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(HEADER + payload);
    buffer.putInt(MAGIC).putInt(payload).putInt(0).putInt(events.size());
    for (byte[] bytes : encoded) {
      buffer.putInt(bytes.length).put(bytes);
    }
    CRC32 crc = new CRC32();
    crc.update(buffer.array(), HEADER, payload);
    buffer.putInt(8, (int) crc.getValue());
    return buffer.array();
  }

  /** Appends one encoded record to the active segment, starting one when needed. */
  void append(byte[] record, long sequence) throws IOException {
    if (active == null) {
      PrivateFiles.createFolders(dir);
      Path file = dir.resolve(String.format("%020d%s", sequence, SUFFIX));
      activeChannel = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      active = new Segment(file, sequence, 0);
    }
    ByteBuffer buffer = ByteBuffer.wrap(record);
    long before = active.size;
    try {
      while (buffer.hasRemaining()) {
        activeChannel.write(buffer);
      }
    } catch (IOException e) {
      // leave no half record behind: cut the file back to where the record started
      try {
        activeChannel.truncate(before);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    active.size += record.length;
    activeBytes = active.size;
    dirty = true;
  }

  boolean needsSegment() {
    return active == null;
  }

  long activeSize() {
    return active == null ? 0 : active.size;
  }

  /** Makes what was appended durable. */
  void force() throws IOException {
    if (dirty && activeChannel != null) {
      activeChannel.force(false);
      dirty = false;
    }
  }

  /** Closes the active segment and makes it readable. */
  void seal() throws IOException {
    wantRotate = false;
    if (active == null) {
      return;
    }
    try {
      force();
      activeChannel.close();
    } finally {
      Segment done = active;
      active = null;
      activeChannel = null;
      activeBytes = 0;
      synchronized (this) {
        unread.addLast(done);
      }
    }
  }

  // ------------------------------------------------------------------ reading (any thread)

  /** Whether anything is waiting here: returned records, unread files or an unsealed segment. */
  synchronized boolean hasData() {
    return !returned.isEmpty() || reading != null || !unread.isEmpty() || activeBytes > 0;
  }

  /** The next batch to deliver, oldest first, or {@code null} when there is none readable now. */
  synchronized SpoolRecord next() {
    SpoolRecord back = returned.pollFirst();
    if (back != null) {
      return back;
    }
    while (true) {
      if (reading == null) {
        Segment segment = unread.pollFirst();
        if (segment == null) {
          if (activeBytes > 0) {
            wantRotate = true; // the writer seals it on its next round; it is read then
          }
          return null;
        }
        try {
          open(segment);
        } catch (IOException e) {
          spool.problem("spool-read", "cannot read spool file " + segment.path + "; it is left in place", e);
          continue;
        }
      }
      List<String> events = readRecord();
      if (events != null) {
        reading.outstanding++;
        return new SpoolRecord(this, reading, events);
      }
      finishReading();
    }
  }

  private void open(Segment segment) throws IOException {
    InputStream stream = Files.newInputStream(segment.path);
    in = new DataInputStream(new BufferedInputStream(stream, 64 * 1024));
    reading = segment;
    readPosition = 0;
  }

  /** One record of the current file, or {@code null} at its end or at damage (then set aside). */
  private List<String> readRecord() {
    long start = readPosition;
    if (start >= reading.size) {
      return null;
    }
    String damage;
    try {
      int magic = in.readInt();
      int length = in.readInt();
      int checksum = in.readInt();
      if (magic != MAGIC) {
        damage = "bad record marker";
      } else if (length < 4 || length > MAX_PAYLOAD || start + HEADER + length > reading.size) {
        damage = "record length " + length + " runs past the end of the file";
      } else {
        byte[] payload = new byte[length];
        in.readFully(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != checksum) {
          damage = "checksum mismatch";
        } else {
          List<String> events = decode(payload);
          if (events == null) {
            damage = "malformed record";
          } else {
            readPosition = start + HEADER + length;
            return events;
          }
        }
      }
    } catch (EOFException e) {
      damage = "file ends inside a record (torn write)";
    } catch (IOException e) {
      damage = "read error: " + Outages.describe(e);
    }
    setAside(start, damage);
    return null;
  }

  private static List<String> decode(byte[] payload) {
    ByteBuffer buffer = ByteBuffer.wrap(payload);
    int count = buffer.getInt();
    if (count < 0 || count > payload.length) {
      return null;
    }
    List<String> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (buffer.remaining() < 4) {
        return null;
      }
      int length = buffer.getInt();
      if (length < 0 || length > buffer.remaining()) {
        return null;
      }
      events.add(new String(payload, buffer.position(), length, StandardCharsets.UTF_8));
      buffer.position(buffer.position() + length);
    }
    return buffer.hasRemaining() ? null : events;
  }

  /** Moves the bytes from {@code offset} to the end of the current file into {@code <file>.corrupt}. */
  private void setAside(long offset, String damage) {
    Segment segment = reading;
    closeReader();
    long cut = segment.size - offset;
    Path corrupt = segment.path.resolveSibling(segment.path.getFileName() + ".corrupt");
    try (FileChannel source = FileChannel.open(segment.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
         FileChannel target = PrivateFiles.open(corrupt, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
             StandardOpenOption.TRUNCATE_EXISTING)) {
      long copied = 0;
      while (copied < cut) {
        long n = source.transferTo(offset + copied, cut - copied, target);
        if (n <= 0) {
          break;
        }
        copied += n;
      }
      target.force(true);
      source.truncate(offset);
      source.force(true);
    } catch (IOException e) {
      spool.problem("spool-corrupt", "could not set aside the damaged part of " + segment.path, e);
    }
    segment.size = offset;
    spool.released(cut);
    spool.corrupt(segment.path, offset, cut, damage, corrupt);
    reading = segment; // so finishReading retires it
  }

  private void finishReading() {
    Segment segment = reading;
    closeReader();
    reading = null;
    if (segment != null) {
      segment.fullyRead = true;
      retireIfDone(segment);
    }
  }

  private void closeReader() {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // read-only stream: nothing is lost by a failed close
      }
      in = null;
    }
  }

  synchronized void ack(SpoolRecord record) {
    record.segment.outstanding--;
    retireIfDone(record.segment);
  }

  synchronized void nack(SpoolRecord record) {
    returned.addLast(record);
  }

  private void retireIfDone(Segment segment) {
    if (segment.fullyRead && segment.outstanding == 0) {
      try {
        Files.deleteIfExists(segment.path);
        spool.released(segment.size);
      } catch (IOException e) {
        spool.problem("spool-delete", "cannot delete delivered spool file " + segment.path, e);
      }
    }
  }

  /** Stops reading (the files stay for the next start). */
  synchronized void closeReading() {
    closeReader();
    reading = null;
  }
}
