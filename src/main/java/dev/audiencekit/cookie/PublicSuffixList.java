package dev.audiencekit.cookie;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The Public Suffix List (ICANN and private sections) in three hash sets: plain rules, wildcard rules
 * ({@code *.ck} kept as {@code ck}) and exception rules ({@code !www.ck} kept as {@code www.ck}),
 * all in ASCII (punycode) form. Loaded once, on first use, from the bundled resource.
 */
final class PublicSuffixList {
  static final String RESOURCE = "public_suffix_list.dat";

  private final Set<String> rules;
  private final Set<String> wildcards;
  private final Set<String> exceptions;

  private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
    this.rules = rules;
    this.wildcards = wildcards;
    this.exceptions = exceptions;
  }

  private static final class Holder {
    static final PublicSuffixList INSTANCE = load();
  }

  /** The bundled list. */
  static PublicSuffixList get() {
    return Holder.INSTANCE;
  }

  private static PublicSuffixList load() {
    try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing from the audiencekit jar");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** Parses list text: one rule per line, {@code //} comments, the rule ends at the first space. */
  static PublicSuffixList parse(BufferedReader reader) throws IOException {
    Set<String> rules = new HashSet<>(16_384);
    Set<String> wildcards = new HashSet<>(64);
    Set<String> exceptions = new HashSet<>(32);
    String line;
    while ((line = reader.readLine()) != null) {
      line = line.strip();
      int space = line.indexOf(' ');
      if (space >= 0) {
        line = line.substring(0, space);
      }
      if (line.isEmpty() || line.startsWith("//")) {
        continue;
      }
      Set<String> target = rules;
      if (line.startsWith("!")) {
        target = exceptions;
        line = line.substring(1);
      } else if (line.startsWith("*.")) {
        target = wildcards;
        line = line.substring(2);
      }
      String ascii = toAscii(line);
      if (ascii != null) {
        target.add(ascii);
      }
    }
    return new PublicSuffixList(rules, wildcards, exceptions);
  }

  private static String toAscii(String rule) {
    try {
      return IDN.toASCII(rule, IDN.ALLOW_UNASSIGNED).toLowerCase(java.util.Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null; // a rule Java's IDNA cannot convert can never match a converted host either
    }
  }

  /**
   * The registrable domain (public suffix plus one label) of a normalised ASCII host name, or
   * {@code null} when the host is itself a public suffix.
   */
  String registrableDomain(String host) {
    // An exception rule wins over every other rule: its own text is the registrable domain.
    for (int i = 0; i >= 0; i = nextLabel(host, i)) {
      if (exceptions.contains(i == 0 ? host : host.substring(i))) {
        return i == 0 ? host : host.substring(i);
      }
    }
    // Otherwise the longest matching rule (first found from the left) is the public suffix.
    int previous = -1;
    for (int i = 0; i >= 0; previous = i, i = nextLabel(host, i)) {
      String suffix = i == 0 ? host : host.substring(i);
      int parent = nextLabel(host, i);
      boolean match = rules.contains(suffix)
          || (parent >= 0 && wildcards.contains(host.substring(parent)));
      if (match) {
        return previous < 0 ? null : host.substring(previous);
      }
      if (parent < 0) {
        // No rule: the default rule "*" makes the last label the public suffix.
        return previous < 0 ? null : host.substring(previous);
      }
    }
    return null;
  }

  /** True when the ASCII host name is itself a public suffix. */
  boolean isPublicSuffix(String host) {
    return registrableDomain(host) == null;
  }

  /** Index of the label after the one starting at {@code i}, or -1 at the last label. */
  private static int nextLabel(String host, int i) {
    int dot = host.indexOf('.', i);
    return dot < 0 ? -1 : dot + 1;
  }
}
