package dev.audiencekit.privacy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells crawlers from people by their User-Agent (SPEC §3 {@code bots}): the built-in list in
 * {@code bots.txt} next to this class (self-declared search/SEO crawlers, AI crawlers, link-preview
 * agents, uptime monitors; its header explains what is deliberately left out) plus the
 * {@code bots.patterns} extras, all case-insensitive substrings.
 *
 * <p>Browser automation is not a crawler ({@code HeadlessChrome} is tracked), nor are HTTP libraries
 * such as curl, and an empty or missing User-Agent is not one either.
 *
 * <p>Thread-safe. One scan lower-cases the User-Agent once and reads it in a single pass: at each
 * position the patterns starting with the two characters found there (a table indexed by ASCII bigram)
 * are compared.
 *
 * <p>Real traffic repeats a few thousand User-Agents, so verdicts are remembered, but the memory this
 * takes cannot be driven up by a client: at most {@link #MAX_CACHED} verdicts, each keyed by a
 * User-Agent of at most {@link #MAX_CACHED_LENGTH} characters (a few megabytes at worst); a flood of
 * distinct values empties the cache rather than grow it. A longer User-Agent (rare among browsers) is
 * not remembered but scanned each time, on its whole text up to {@link #MAX_LENGTH} characters, so two
 * that share a long beginning are judged apart.
 */
public final class BotDetector {
  /** How many User-Agent verdicts are remembered. */
  static final int MAX_CACHED = 10_000;
  /** User-Agents up to this long are remembered; longer ones are scanned on every call. */
  static final int MAX_CACHED_LENGTH = 256;
  private final java.util.Map<String, Boolean> verdicts = new java.util.concurrent.ConcurrentHashMap<>();

  /** User-Agents longer than this are judged by their first this-many characters. */
  static final int MAX_LENGTH = 1024;
  private static final String RESOURCE = "bots.txt";

  private final String[] patterns;
  private final String[] masks;
  /** Patterns of two or more ASCII characters, by their first two characters ({@code c0 * 128 + c1}). */
  private final String[][] byBigram = new String[128 * 128][];
  /** Patterns that cannot go into the table (one character, or non-ASCII start): checked one by one. */
  private final String[] others;

  /** The built-in list plus {@code extraPatterns} (the {@code bots.patterns} values). */
  public BotDetector(List<String> extraPatterns) {
    Set<String> p = new LinkedHashSet<>();
    Set<String> m = new LinkedHashSet<>();
    for (String line : builtInLines()) {
      if (line.startsWith("!")) {
        m.add(line.substring(1));
      } else {
        p.add(line);
      }
    }
    for (String extra : extraPatterns) {
      String e = extra.trim().toLowerCase(Locale.ROOT);
      if (!e.isEmpty()) {
        p.add(e);
      }
    }
    patterns = p.toArray(String[]::new);
    masks = m.toArray(String[]::new);
    List<String> rest = new ArrayList<>();
    for (String pattern : patterns) {
      if (pattern.length() >= 2 && pattern.charAt(0) < 128 && pattern.charAt(1) < 128) {
        int key = pattern.charAt(0) * 128 + pattern.charAt(1);
        String[] bucket = byBigram[key];
        String[] grown = bucket == null ? new String[1] : java.util.Arrays.copyOf(bucket, bucket.length + 1);
        grown[grown.length - 1] = pattern;
        byBigram[key] = grown;
      } else {
        rest.add(pattern);
      }
    }
    others = rest.toArray(String[]::new);
  }

  /** The built-in list only. */
  public BotDetector() {
    this(List.of());
  }

  /** True when {@code userAgent} is a known crawler; {@code null} or blank is not. */
  public boolean isBot(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return false;
    }
    if (userAgent.length() > MAX_CACHED_LENGTH) {
      return scan(userAgent); // not remembered: the key would be as large as a client likes
    }
    Boolean known = verdicts.get(userAgent);
    if (known != null) {
      return known;
    }
    boolean bot = scan(userAgent);
    if (verdicts.size() >= MAX_CACHED) {
      verdicts.clear(); // a flood of distinct values: start over rather than grow
    }
    verdicts.put(userAgent, bot);
    return bot;
  }

  /** Verdicts remembered now. */
  int cachedVerdicts() {
    return verdicts.size();
  }

  /** Characters of the User-Agents remembered now. */
  long cachedCharacters() {
    long total = 0;
    for (String key : verdicts.keySet()) {
      total += key.length();
    }
    return total;
  }

  private boolean scan(String userAgent) {
    String ua = userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent;
    ua = ua.toLowerCase(Locale.ROOT);
    for (String mask : masks) {
      if (ua.contains(mask)) {
        ua = ua.replace(mask, "#".repeat(mask.length()));
      }
    }
    int last = ua.length() - 1;
    for (int i = 0; i < last; i++) {
      char c0 = ua.charAt(i);
      char c1 = ua.charAt(i + 1);
      if (c0 >= 128 || c1 >= 128) {
        continue;
      }
      String[] bucket = byBigram[c0 * 128 + c1];
      if (bucket != null) {
        for (String pattern : bucket) {
          if (ua.startsWith(pattern, i)) {
            return true;
          }
        }
      }
    }
    for (String pattern : others) {
      if (ua.contains(pattern)) {
        return true;
      }
    }
    return false;
  }

  /** The active patterns, built-in first (for the start-up summary and the inspector). */
  public List<String> patterns() {
    return List.of(patterns);
  }

  static List<String> builtInLines() {
    List<String> out = new ArrayList<>();
    try (InputStream in = BotDetector.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the audiencekit jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(t.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return out;
  }
}
