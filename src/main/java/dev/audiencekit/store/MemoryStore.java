package dev.audiencekit.store;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code store=memory} mirror: one JVM's heap, lost on restart, not shared between nodes.
 *
 * <p>Bounded twice, so that no client input can make it grow past its budget: at most
 * {@code maxEntries} records and {@code maxEntries} fingerprints, and at most {@code maxBytes} of
 * estimated heap (three quarters for records, one quarter for fingerprint links), the least recently
 * used evicted first. Records are kept in their text form (traits as JSON text, parsed again on
 * {@link #find}), so the estimate counts every character a client could have sent, at two bytes each,
 * plus a fixed allowance per object; the estimate is an upper bound of what the entries retain. At most
 * {@value #MAX_LINKS_PER_FINGERPRINT} anonymousIds are kept per fingerprint (the least recently seen
 * dropped; restore only needs to tell one from several). Records live in lock-striped LRU maps so
 * concurrent requests rarely contend. Expiry by age is {@link #expire}, which the {@link Mirror} runs
 * periodically; the mirror also ignores records older than {@code store.ttlDays} that are still here.
 */
public final class MemoryStore implements IdentityStore {
  /** Links kept per fingerprint; more than one already makes a restore ambiguous. */
  public static final int MAX_LINKS_PER_FINGERPRINT = 16;
  /** The default heap budget of {@link #MemoryStore(int)}: 128 MiB. */
  public static final long DEFAULT_MAX_BYTES = 128L * 1024 * 1024;

  private static final JsonProvider JSON_P = JsonProvider.provider();
  private static final int STRIPES = 16;
  private static final int MIN_ENTRIES_PER_STRIPE = 64;
  /** A stripe must hold many of the largest records (traits are bounded at 16 KB of JSON). */
  private static final long MIN_BYTES_PER_STRIPE = 1024 * 1024;
  /** Allowance per record for the map node, the entry object, its fields and string headers. */
  static final int RECORD_OVERHEAD = 256;
  /** Allowance per owner hash (string header and list slot). */
  static final int OWNER_OVERHEAD = 48;
  /** Allowance per link (list slot, link object, reverse-index entry) and per fingerprint entry. */
  static final int LINK_OVERHEAD = 160;

  private final Stripe[] stripes;
  private final Links links;

  /** A store holding at most {@code maxEntries} records and fingerprints within {@link #DEFAULT_MAX_BYTES}. */
  public MemoryStore(int maxEntries) {
    this(maxEntries, DEFAULT_MAX_BYTES);
  }

  /** A store holding at most {@code maxEntries} records and fingerprints, and about {@code maxBytes} of heap. */
  public MemoryStore(int maxEntries, long maxBytes) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    if (maxBytes < 64 * 1024) {
      throw new IllegalArgumentException("maxBytes must be at least 65536: " + maxBytes);
    }
    // Striping splits the bound; use it only when each stripe still holds a useful number of entries,
    // so a small bound stays exact.
    long recordBytes = maxBytes / 4 * 3;
    int count = maxEntries >= STRIPES * MIN_ENTRIES_PER_STRIPE && recordBytes / STRIPES >= MIN_BYTES_PER_STRIPE
        ? STRIPES : 1;
    stripes = new Stripe[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Stripe(maxEntries / count, recordBytes / count);
    }
    links = new Links(maxEntries, maxBytes - recordBytes);
  }

  private Stripe stripe(String anonymousId) {
    int h = anonymousId.hashCode();
    return stripes[((h ^ (h >>> 16)) & 0x7fffffff) % stripes.length];
  }

  @Override
  public IdentityRecord find(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Stripe s = stripe(anonymousId);
    Stored stored;
    synchronized (s) {
      stored = s.get(anonymousId);
    }
    return stored == null ? null : stored.toRecord(anonymousId);
  }

  @Override
  public void save(IdentityRecord record) {
    Stored stored = Stored.of(record);
    Stripe s = stripe(record.anonymousId());
    synchronized (s) {
      s.store(record.anonymousId(), stored);
    }
  }

  @Override
  public void delete(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Stripe s = stripe(anonymousId);
    synchronized (s) {
      s.drop(anonymousId);
    }
    links.deleteAnonymousId(anonymousId);
  }

  @Override
  public void link(String fingerprint, String anonymousId, Instant seen) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(anonymousId, "anonymousId");
    Objects.requireNonNull(seen, "seen");
    links.link(fingerprint, anonymousId, seen);
    Stripe s = stripe(anonymousId);
    synchronized (s) {
      Stored stored = s.get(anonymousId);
      if (stored != null && stored.updatedAt < seen.minus(Duration.ofDays(1)).toEpochMilli()) {
        s.store(anonymousId, stored.touched(seen));
      }
    }
  }

  @Override
  public Instant lastSeen(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    return links.lastSeen(anonymousId);
  }

  @Override
  public void unlink(String fingerprint, String anonymousId) {
    links.unlink(fingerprint, anonymousId);
  }

  @Override
  public List<FingerprintLink> links(String fingerprint, Instant since, int limit) {
    return links.get(fingerprint, since, limit);
  }

  @Override
  public int expire(Instant cutoff) {
    long cut = cutoff.toEpochMilli();
    int removed = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        for (Iterator<Map.Entry<String, Stored>> it = s.entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<String, Stored> e = it.next();
          if (e.getValue().updatedAt < cut) {
            s.bytes -= e.getValue().weight(e.getKey());
            it.remove();
            removed++;
          }
        }
      }
    }
    return removed + links.expire(cutoff);
  }

  /** Records held now (for tests and the inspector). */
  public int size() {
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.size();
      }
    }
    return n;
  }

  /** The estimated heap the records and links retain now, in bytes (never above {@code maxBytes}). */
  public long estimatedBytes() {
    long n = links.bytes();
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.bytes;
      }
    }
    return n;
  }

  /** A record in its compact text form. */
  private record Stored(String userId, String groupId, String userTraits, String groupTraits, String owners,
      String successor, long updatedAt) {

    static Stored of(IdentityRecord r) {
      return new Stored(r.userId(), r.groupId(), r.userTraits().isEmpty() ? null : r.userTraits().toString(),
          r.groupTraits().isEmpty() ? null : r.groupTraits().toString(),
          r.owners().isEmpty() ? null : String.join(",", r.owners()), Successor.encode(r.successor()),
          r.updatedAt().toEpochMilli());
    }

    IdentityRecord toRecord(String anonymousId) {
      return new IdentityRecord(anonymousId, userId, groupId, json(userTraits), json(groupTraits),
          owners == null ? List.of() : List.of(owners.split(",")), Successor.decode(successor),
          Instant.ofEpochMilli(updatedAt));
    }

    Stored touched(Instant at) {
      return new Stored(userId, groupId, userTraits, groupTraits, owners, successor, at.toEpochMilli());
    }

    long weight(String anonymousId) {
      int ownerCount = owners == null ? 0 : (owners.length() + 1) / 44 + 1;
      return RECORD_OVERHEAD + (long) ownerCount * OWNER_OVERHEAD
          + 2L * (anonymousId.length() + len(userId) + len(groupId) + len(userTraits) + len(groupTraits)
              + len(owners) + len(successor));
    }

    private static int len(String s) {
      return s == null ? 0 : s.length();
    }

    private static JsonObject json(String text) {
      if (text == null) {
        return JsonObject.EMPTY_JSON_OBJECT;
      }
      try (JsonReader reader = JSON_P.createReader(new StringReader(text))) {
        return reader.readObject();
      }
    }
  }

  /** One LRU segment of the records, bounded in entries and bytes; guarded by its own monitor. */
  private static final class Stripe extends LinkedHashMap<String, Stored> {
    private static final long serialVersionUID = 1L;
    private final int maxEntries;
    private final long maxBytes;
    long bytes;

    Stripe(int maxEntries, long maxBytes) {
      super(16, 0.75f, true);
      this.maxEntries = maxEntries;
      this.maxBytes = maxBytes;
    }

    void store(String key, Stored value) {
      Stored old = put(key, value);
      if (old != null) {
        bytes -= old.weight(key);
      }
      bytes += value.weight(key);
      for (Iterator<Map.Entry<String, Stored>> it = entrySet().iterator();
          it.hasNext() && (size() > maxEntries || bytes > maxBytes); ) {
        Map.Entry<String, Stored> eldest = it.next();
        bytes -= eldest.getValue().weight(eldest.getKey());
        it.remove();
      }
    }

    void drop(String key) {
      Stored old = remove(key);
      if (old != null) {
        bytes -= old.weight(key);
      }
    }
  }

  /**
   * Fingerprint → anonymousIds, an LRU over fingerprints bounded in entries and bytes, with a reverse
   * index (anonymousId → fingerprints) so that {@link #delete} and {@link #lastSeen} do not scan. One
   * monitor: link writes are throttled by the filter and restores are rare, so this is not on every
   * request's path.
   */
  private static final class Links {
    private final int maxFingerprints;
    private final long maxBytes;
    private final LinkedHashMap<String, List<FingerprintLink>> byFingerprint = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Set<String>> byAnonymousId = new HashMap<>();
    private long bytes;

    Links(int maxFingerprints, long maxBytes) {
      this.maxFingerprints = maxFingerprints;
      this.maxBytes = maxBytes;
    }

    private static long weight(String fingerprint, String anonymousId) {
      return LINK_OVERHEAD + 2L * (fingerprint.length() + anonymousId.length());
    }

    synchronized void link(String fingerprint, String anonymousId, Instant seen) {
      List<FingerprintLink> list = byFingerprint.get(fingerprint);
      if (list == null) {
        list = new ArrayList<>(2);
        byFingerprint.put(fingerprint, list);
        bytes += LINK_OVERHEAD + 2L * fingerprint.length();
      }
      for (int i = 0; i < list.size(); i++) {
        FingerprintLink l = list.get(i);
        if (l.anonymousId().equals(anonymousId)) {
          if (seen.isAfter(l.lastSeen())) {
            list.set(i, new FingerprintLink(anonymousId, seen));
          }
          return;
        }
      }
      if (list.size() >= MAX_LINKS_PER_FINGERPRINT) {
        int oldest = 0;
        for (int i = 1; i < list.size(); i++) {
          if (list.get(i).lastSeen().isBefore(list.get(oldest).lastSeen())) {
            oldest = i;
          }
        }
        String dropped = list.remove(oldest).anonymousId();
        forgetReverse(dropped, fingerprint);
        bytes -= weight(fingerprint, dropped);
      }
      list.add(new FingerprintLink(anonymousId, seen));
      byAnonymousId.computeIfAbsent(anonymousId, k -> new HashSet<>(2)).add(fingerprint);
      bytes += weight(fingerprint, anonymousId);
      evict();
    }

    private void evict() {
      for (Iterator<Map.Entry<String, List<FingerprintLink>>> it = byFingerprint.entrySet().iterator();
          it.hasNext() && (byFingerprint.size() > maxFingerprints || bytes > maxBytes); ) {
        Map.Entry<String, List<FingerprintLink>> eldest = it.next();
        dropFingerprint(eldest.getKey(), eldest.getValue());
        it.remove();
      }
    }

    private void dropFingerprint(String fingerprint, List<FingerprintLink> list) {
      for (FingerprintLink l : list) {
        forgetReverse(l.anonymousId(), fingerprint);
        bytes -= weight(fingerprint, l.anonymousId());
      }
      bytes -= LINK_OVERHEAD + 2L * fingerprint.length();
    }

    synchronized void unlink(String fingerprint, String anonymousId) {
      List<FingerprintLink> list = byFingerprint.get(fingerprint);
      if (list != null && list.removeIf(l -> l.anonymousId().equals(anonymousId))) {
        forgetReverse(anonymousId, fingerprint);
        bytes -= weight(fingerprint, anonymousId);
        if (list.isEmpty()) {
          byFingerprint.remove(fingerprint);
          bytes -= LINK_OVERHEAD + 2L * fingerprint.length();
        }
      }
    }

    synchronized void deleteAnonymousId(String anonymousId) {
      Set<String> fingerprints = byAnonymousId.get(anonymousId);
      if (fingerprints == null) {
        return;
      }
      for (String fingerprint : new ArrayList<>(fingerprints)) {
        unlink(fingerprint, anonymousId);
      }
    }

    synchronized Instant lastSeen(String anonymousId) {
      Set<String> fingerprints = byAnonymousId.get(anonymousId);
      if (fingerprints == null) {
        return null;
      }
      Instant latest = null;
      for (String fingerprint : fingerprints) {
        List<FingerprintLink> list = byFingerprint.get(fingerprint);
        if (list == null) {
          continue;
        }
        for (FingerprintLink l : list) {
          if (l.anonymousId().equals(anonymousId) && (latest == null || l.lastSeen().isAfter(latest))) {
            latest = l.lastSeen();
          }
        }
      }
      return latest;
    }

    synchronized List<FingerprintLink> get(String fingerprint, Instant since, int limit) {
      List<FingerprintLink> list = byFingerprint.get(fingerprint);
      if (list == null || limit <= 0) {
        return List.of();
      }
      List<FingerprintLink> out = new ArrayList<>(list.size());
      for (FingerprintLink l : list) {
        if (!l.lastSeen().isBefore(since)) {
          out.add(l);
        }
      }
      out.sort((a, b) -> b.lastSeen().compareTo(a.lastSeen()));
      return Collections.unmodifiableList(out.size() > limit ? out.subList(0, limit) : out);
    }

    synchronized int expire(Instant cutoff) {
      int removed = 0;
      for (Iterator<Map.Entry<String, List<FingerprintLink>>> it = byFingerprint.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<String, List<FingerprintLink>> e = it.next();
        for (Iterator<FingerprintLink> links = e.getValue().iterator(); links.hasNext(); ) {
          FingerprintLink l = links.next();
          if (l.lastSeen().isBefore(cutoff)) {
            links.remove();
            forgetReverse(l.anonymousId(), e.getKey());
            bytes -= weight(e.getKey(), l.anonymousId());
            removed++;
          }
        }
        if (e.getValue().isEmpty()) {
          bytes -= LINK_OVERHEAD + 2L * e.getKey().length();
          it.remove();
        }
      }
      return removed;
    }

    synchronized long bytes() {
      return bytes;
    }

    private void forgetReverse(String anonymousId, String fingerprint) {
      Set<String> set = byAnonymousId.get(anonymousId);
      if (set != null) {
        set.remove(fingerprint);
        if (set.isEmpty()) {
          byAnonymousId.remove(anonymousId);
        }
      }
    }
  }
}
