package dev.audiencekit.sink;

import java.time.Duration;

/**
 * Why a sink could not deliver a batch, with what delivery should do about it.
 *
 * <p>Any other exception thrown by {@link EventSink#deliver} is treated like {@link #retryable}: the
 * batch is tried again later or spooled. A {@link #rejected} batch is never retried; it is written to
 * the dead-letter file with the status and response.
 */
public final class SinkException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final int status;
  private final String response;
  private final Duration retryAfter;

  private SinkException(String message, Throwable cause, boolean retryable, int status, String response,
      Duration retryAfter) {
    super(message, cause);
    this.retryable = retryable;
    this.status = status;
    this.response = response;
    this.retryAfter = retryAfter;
  }

  /**
   * A temporary failure (connection error, timeout, 408, 429, 5xx).
   *
   * @param status     the HTTP status, or 0 when there was no answer
   * @param retryAfter how long the remote asked us to wait, or {@code null}
   */
  public static SinkException retryable(String message, int status, Duration retryAfter, Throwable cause) {
    return new SinkException(message, cause, true, status, null, retryAfter);
  }

  /** A refusal that a retry will not change (a 4xx other than 408 and 429). */
  public static SinkException rejected(int status, String response) {
    return new SinkException("refused with status " + status, null, false, status,
        response == null ? "" : response, null);
  }

  public boolean retryable() { return retryable; }

  /** The HTTP status, or 0 when there was none. */
  public int status() { return status; }

  /** The response body of a rejected batch (possibly truncated), else {@code null}. */
  public String response() { return response; }

  /** The wait the remote asked for ({@code Retry-After}), or {@code null}. */
  public Duration retryAfter() { return retryAfter; }
}
