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
  private BoundedBody() {}

  /** The body, or {@code null} when it is longer than {@code limit} bytes (the rest is left unread). */
  static byte[] read(HttpServletRequest request, int limit) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      return null;
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
        return null;
      }
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }
}
