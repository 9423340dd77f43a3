package dev.audiencekit.collect;

import dev.audiencekit.event.BrowserEvents;

/**
 * What a path under the endpoint's prefix asks for: one event ({@code /v1/t}, {@code /p}, {@code /i},
 * {@code /g}, {@code /a}, {@code /s}), a batch ({@code /v1/b}, {@code /v1/batch}), the project settings
 * ({@code /v1/projects/{writeKey}/settings}), the bundle ({@code /analytics.js}), or nothing known.
 *
 * @param kind     what is asked for
 * @param type     the event type of a one-event path, else null
 * @param writeKey the write key of a settings path, else null
 */
record Route(Kind kind, BrowserEvents.Type type, String writeKey) {
  enum Kind {
    EVENT("POST, OPTIONS"), BATCH("POST, OPTIONS"), SETTINGS("GET"), BUNDLE("GET"), UNKNOWN("");

    private final String allow;

    Kind(String allow) {
      this.allow = allow;
    }

    /** The methods the path answers, for {@code Allow}. */
    String allow() {
      return allow;
    }

    boolean allows(String method) {
      return this == EVENT || this == BATCH ? method.equals("POST") : this != UNKNOWN && method.equals("GET");
    }

    boolean takesEvents() {
      return this == EVENT || this == BATCH;
    }
  }

  private static final Route BATCH = new Route(Kind.BATCH, null, null);
  private static final Route BUNDLE = new Route(Kind.BUNDLE, null, null);
  private static final Route UNKNOWN = new Route(Kind.UNKNOWN, null, null);
  private static final String PROJECTS = "/v1/projects/";
  private static final String SETTINGS = "/settings";
  static final int MAX_WRITE_KEY_CHARS = 256;

  /** The route of {@code path}, the part of the request's path after the prefix ({@code ""} or {@code /…}). */
  static Route of(String path, boolean servesBundle) {
    if (path.length() == 5 && path.startsWith("/v1/")) {
      BrowserEvents.Type type = BrowserEvents.Type.ofPath(path.charAt(4));
      if (type != null) {
        return new Route(Kind.EVENT, type, null);
      }
      return path.charAt(4) == 'b' ? BATCH : UNKNOWN;
    }
    if (path.equals("/v1/batch")) {
      return BATCH;
    }
    if (path.equals("/analytics.js")) {
      return servesBundle ? BUNDLE : UNKNOWN;
    }
    if (path.startsWith(PROJECTS) && path.endsWith(SETTINGS)
        && path.length() > PROJECTS.length() + SETTINGS.length()) {
      String key = path.substring(PROJECTS.length(), path.length() - SETTINGS.length());
      if (key.length() <= MAX_WRITE_KEY_CHARS && key.indexOf('/') < 0 && key.chars().noneMatch(Character::isISOControl)) {
        return new Route(Kind.SETTINGS, null, key);
      }
    }
    return UNKNOWN;
  }
}
