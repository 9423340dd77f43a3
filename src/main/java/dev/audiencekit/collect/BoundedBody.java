package dev.audiencekit.collect;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body up to a limit. {@code Content-Length} only refuses early; the bytes are counted
 * as they arrive, so a chunked body, or one longer than it declared, is cut off at the limit too.
 */
final class BoundedBody {
  /**
   * Bytes of a refused body of undeclared length read and thrown away so that a client still sending it
   * gets the refusal instead of a reset connection; a longer body is left to the container, which closes
   * the connection.
   */
  static final int DISCARD_LIMIT = 1024 * 1024;

  private BoundedBody() {}

  /** The body, or {@code null} when it is longer than {@code limit} bytes (the rest is left unread). */
  static byte[] read(HttpServletRequest request, int limit) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      return null; // answered at once: the container closes the connection rather than wait for the rest
    }
    byte[] buffer = new byte[declared >= 0 ? (int) declared + 1 : Math.min(limit + 1, 8192)];
    int length = 0;
    InputStream in = request.getInputStream(); // not closed: the container owns it and drains or drops the rest
    while (true) {
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(limit + 1, buffer.length * 2));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
      if (length > limit) {
        discard(in);
        return null;
      }
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  private static void discard(InputStream in) {
    byte[] sink = new byte[8192];
    try {
      for (int total = 0; total < DISCARD_LIMIT; ) {
        int n = in.read(sink, 0, Math.min(sink.length, DISCARD_LIMIT - total));
        if (n < 0) {
          return;
        }
        total += n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }
}
