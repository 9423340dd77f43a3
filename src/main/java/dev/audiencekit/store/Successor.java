package dev.audiencekit.store;

import java.util.Objects;

/**
 * Where a browser that still presents a replaced anonymousId is sent: the identity was changed after
 * its response had already committed, so the browser's cookies still hold the old id.
 */
public sealed interface Successor permits Successor.Reset, Successor.MovedTo {

  /** The identity was reset: the browser gets a new anonymousId and no userId. */
  record Reset() implements Successor {}

  /** The identity moved to {@code anonymousId}, whose own record is authoritative. */
  record MovedTo(String anonymousId) implements Successor {
    public MovedTo {
      Objects.requireNonNull(anonymousId, "anonymousId");
      if (anonymousId.isEmpty()) {
        throw new IllegalArgumentException("a successor anonymousId cannot be empty");
      }
    }
  }

  Reset RESET = new Reset();

  static Successor movedTo(String anonymousId) {
    return new MovedTo(anonymousId);
  }

  /** The successor's text form in a database column: {@code ""} for a reset, else the id. */
  static String encode(Successor successor) {
    if (successor == null) {
      return null;
    }
    return successor instanceof MovedTo m ? m.anonymousId() : "";
  }

  /** The inverse of {@link #encode}. */
  static Successor decode(String text) {
    if (text == null) {
      return null;
    }
    return text.isEmpty() ? RESET : new MovedTo(text);
  }
}
