package dev.audiencekit.store;

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
 * <p>Bounded: at most {@code maxEntries} records and {@code maxEntries} fingerprints, the least
 * recently used evicted first, and at most {@value #MAX_LINKS_PER_FINGERPRINT} anonymousIds per
 * fingerprint (the least recently seen dropped; restore only needs to tell one from several).
 * Records are kept in lock-striped LRU maps so concurrent requests rarely contend. Expiry by age is
 * {@link #expire}, which the {@link Mirror} runs periodically; the mirror also ignores records older
 * than {@code store.ttlDays} that are still here.
 */
public final class MemoryStore implements IdentityStore {
  /** Links kept per fingerprint; more than one already makes a restore ambiguous. */
  public static final int MAX_LINKS_PER_FINGERPRINT = 16;

  private static final int STRIPES = 16;
  private static final int MIN_ENTRIES_PER_STRIPE = 64;

  private final Stripe[] stripes;
  private final Links links;

  /** A store holding at most {@code maxEntries} records and {@code maxEntries} fingerprints. */
  public MemoryStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    // Striping splits the bound; use it only when each stripe still holds a useful number of entries,
    // so a small bound stays exact.
    int count = maxEntries >= STRIPES * MIN_ENTRIES_PER_STRIPE ? STRIPES : 1;
    stripes = new Stripe[count];
    for (int i = 0; i < count; i++) {
      stripes[i] = new Stripe(maxEntries / count);
    }
    links = new Links(maxEntries);
  }

  private Stripe stripe(String anonymousId) {
    int h = anonymousId.hashCode();
    return stripes[((h ^ (h >>> 16)) & 0x7fffffff) % stripes.length];
  }

  @Override
  public IdentityRecord find(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Stripe s = stripe(anonymousId);
    synchronized (s) {
      return s.get(anonymousId);
    }
  }

  @Override
  public void save(IdentityRecord record) {
    Stripe s = stripe(record.anonymousId());
    synchronized (s) {
      s.put(record.anonymousId(), record);
    }
  }

  @Override
  public void delete(String anonymousId) {
    Objects.requireNonNull(anonymousId, "anonymousId");
    Stripe s = stripe(anonymousId);
    synchronized (s) {
      s.remove(anonymousId);
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
      IdentityRecord record = s.get(anonymousId);
      if (record != null && record.updatedAt().isBefore(seen.minus(java.time.Duration.ofDays(1)))) {
        s.put(anonymousId, new IdentityRecord(anonymousId, record.userId(), record.groupId(), record.userTraits(),
            record.groupTraits(), record.successor(), seen));
      }
    }
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
    int removed = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        for (Iterator<IdentityRecord> it = s.values().iterator(); it.hasNext(); ) {
          if (it.next().updatedAt().isBefore(cutoff)) {
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

  /** One LRU segment of the records; guarded by its own monitor. */
  private static final class Stripe extends LinkedHashMap<String, IdentityRecord> {
    private static final long serialVersionUID = 1L;
    private final int max;

    Stripe(int max) {
      super(16, 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, IdentityRecord> eldest) {
      return size() > max;
    }
  }

  /**
   * Fingerprint → anonymousIds, an LRU over fingerprints with a reverse index (anonymousId →
   * fingerprints) so that {@link #delete} does not scan. One monitor: link writes are throttled by the
   * mirror and restores are rare, so this is not on every request's path.
   */
  private static final class Links {
    private final Map<String, List<FingerprintLink>> byFingerprint;
    private final Map<String, Set<String>> byAnonymousId = new HashMap<>();

    Links(int maxFingerprints) {
      byFingerprint = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<FingerprintLink>> eldest) {
          if (size() <= maxFingerprints) {
            return false;
          }
          for (FingerprintLink l : eldest.getValue()) {
            forgetReverse(l.anonymousId(), eldest.getKey());
          }
          return true;
        }
      };
    }

    synchronized void link(String fingerprint, String anonymousId, Instant seen) {
      List<FingerprintLink> list = byFingerprint.get(fingerprint);
      if (list == null) {
        list = new ArrayList<>(2);
        byFingerprint.put(fingerprint, list);
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
        forgetReverse(list.remove(oldest).anonymousId(), fingerprint);
      }
      list.add(new FingerprintLink(anonymousId, seen));
      byAnonymousId.computeIfAbsent(anonymousId, k -> new HashSet<>(2)).add(fingerprint);
    }

    synchronized void unlink(String fingerprint, String anonymousId) {
      List<FingerprintLink> list = byFingerprint.get(fingerprint);
      if (list != null && list.removeIf(l -> l.anonymousId().equals(anonymousId))) {
        forgetReverse(anonymousId, fingerprint);
        if (list.isEmpty()) {
          byFingerprint.remove(fingerprint);
        }
      }
    }

    synchronized void deleteAnonymousId(String anonymousId) {
      Set<String> fingerprints = byAnonymousId.remove(anonymousId);
      if (fingerprints == null) {
        return;
      }
      for (String fingerprint : fingerprints) {
        List<FingerprintLink> list = byFingerprint.get(fingerprint);
        if (list != null) {
          list.removeIf(l -> l.anonymousId().equals(anonymousId));
          if (list.isEmpty()) {
            byFingerprint.remove(fingerprint);
          }
        }
      }
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
            removed++;
          }
        }
        if (e.getValue().isEmpty()) {
          it.remove();
        }
      }
      return removed;
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
