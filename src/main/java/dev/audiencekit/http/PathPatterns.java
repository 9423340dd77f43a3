package dev.audiencekit.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of servlet-style path patterns, as given to the {@code exclude} init-param, matched against
 * the path within the context (servlet path plus path info).
 *
 * <ul>
 *   <li>{@code /static/*}: a prefix; matches {@code /static}, {@code /static/} and everything
 *       below, but not {@code /statics}. {@code /*} matches every path.
 *   <li>{@code /health}: an exact path. {@code /} is the context root only.
 *   <li>{@code *.css}: an extension of the last path segment; matches {@code /a/b.css} but not
 *       {@code /a.css/b}.
 * </ul>
 * Matching is case-sensitive, as servlet mappings are. A {@code *} anywhere else is rejected rather
 * than read literally, so that a glob such as {@code /static/*.css} fails at start-up instead of
 * never matching. Patterns are precompiled into hash sets; a match costs one lookup per path
 * segment at most, and allocates only when a prefix of that exact length exists.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PathPatterns {

  /** Matches nothing. */
  public static final PathPatterns NONE = new PathPatterns(List.of());

  private final List<String> patterns;
  private final Set<String> exact = new HashSet<>();
  /** Prefix patterns without their trailing {@code /*}; {@code ""} for {@code /*}. */
  private final Set<String> prefixes = new HashSet<>();
  /** {@code prefixLengths[n]} is true when some prefix is {@code n} characters long. */
  private final boolean[] prefixLengths;
  private final Set<String> extensions = new HashSet<>();

  private PathPatterns(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    int longestPrefix = -1;
    for (String pattern : this.patterns) {
      if (pattern.startsWith("*.")) {
        extensions.add(pattern.substring(2));
      } else if (pattern.endsWith("/*")) {
        String prefix = pattern.substring(0, pattern.length() - 2);
        prefixes.add(prefix);
        longestPrefix = Math.max(longestPrefix, prefix.length());
      } else {
        exact.add(pattern);
      }
    }
    prefixLengths = new boolean[longestPrefix + 1];
    for (String prefix : prefixes) {
      prefixLengths[prefix.length()] = true;
    }
  }

  /**
   * Parses a comma-separated list such as {@code /static/*, *.css, /health}; blanks around and
   * between entries are ignored, and {@code null} or blank text gives {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the first pattern that is not valid
   */
  public static PathPatterns parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return NONE;
    }
    List<String> list = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      if (!part.isBlank()) {
        list.add(part.strip());
      }
    }
    return of(list);
  }

  /**
   * Compiles patterns given one by one (for example {@code Settings.exclude()}).
   *
   * @throws IllegalArgumentException naming the first pattern that is not valid
   */
  public static PathPatterns of(Collection<String> patterns) {
    for (String pattern : patterns) {
      validate(pattern);
    }
    return patterns.isEmpty() ? NONE : new PathPatterns(new ArrayList<>(patterns));
  }

  private static void validate(String pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException(
          "path pattern is null; use /prefix/*, an exact /path or *.extension");
    }
    boolean valid;
    if (pattern.startsWith("*.")) {
      String extension = pattern.substring(2);
      valid = !extension.isEmpty() && extension.indexOf('/') < 0 && extension.indexOf('*') < 0;
    } else if (pattern.startsWith("/")) {
      String rest = pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : pattern;
      valid = rest.indexOf('*') < 0;
    } else {
      valid = false;
    }
    if (!valid || pattern.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new IllegalArgumentException("path pattern '" + pattern
          + "' is not valid; use /prefix/*, an exact /path or *.extension");
    }
  }

  /** True when no pattern was given. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** The patterns, in the order given. */
  public List<String> patterns() {
    return patterns;
  }

  /** True when the request's path within the context matches one of the patterns. */
  public boolean matches(HttpServletRequest request) {
    return !isEmpty() && matches(pathWithinContext(request));
  }

  /**
   * True when {@code path}, a path within the context starting with {@code /}, matches one of the
   * patterns. {@code null} and the empty path are read as {@code /}.
   */
  public boolean matches(String path) {
    String p = path == null || path.isEmpty() ? "/" : path;
    if (exact.contains(p)) {
      return true;
    }
    if (!prefixes.isEmpty() && matchesPrefix(p)) {
      return true;
    }
    return !extensions.isEmpty() && matchesExtension(p);
  }

  private boolean matchesPrefix(String p) {
    if (p.length() < prefixLengths.length && prefixLengths[p.length()] && prefixes.contains(p)) {
      return true;
    }
    for (int slash = p.lastIndexOf('/'); slash >= 0; slash = p.lastIndexOf('/', slash - 1)) {
      if (slash < prefixLengths.length && prefixLengths[slash]
          && prefixes.contains(p.substring(0, slash))) {
        return true;
      }
    }
    return false;
  }

  private boolean matchesExtension(String p) {
    int dot = p.lastIndexOf('.');
    if (dot < 0 || dot < p.lastIndexOf('/')) {
      return false;
    }
    return extensions.contains(p.substring(dot + 1));
  }

  /**
   * The path of the request within its context: servlet path plus path info, {@code /} when both
   * are empty. It is decoded and normalised by the container, without the query string.
   */
  public static String pathWithinContext(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    if (pathInfo == null || pathInfo.isEmpty()) { // the usual case: no concatenation per request
      return servletPath == null || servletPath.isEmpty() ? "/" : servletPath;
    }
    String path = (servletPath == null ? "" : servletPath) + pathInfo;
    return path.isEmpty() ? "/" : path;
  }

  @Override
  public String toString() {
    return String.join(",", patterns);
  }
}
