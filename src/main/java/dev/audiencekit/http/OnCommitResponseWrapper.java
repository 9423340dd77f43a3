package dev.audiencekit.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A response wrapper that runs a hook once, just before the response commits, while headers can
 * still be added.
 *
 * <p>The hook runs on the first of:
 * <ul>
 *   <li>{@link #flushBuffer()}, {@link #sendRedirect(String)}, {@link #sendError(int)},
 *       {@link #sendError(int, String)} (and the Servlet 6.1 redirect overloads);
 *   <li>a flush or close of {@link #getWriter()} or {@link #getOutputStream()}, and
 *       {@link PrintWriter#checkError()} (which flushes);
 *   <li>a write through the writer or stream that makes the body reach the declared content length
 *       ({@code setContentLength}, {@code setContentLengthLong}, or a {@code Content-Length}
 *       header), or that would fill the buffer ({@link #getBufferSize()}); the hook runs
 *       <em>before</em> those bytes are passed on;
 *   <li>declaring a content length that the body written so far already reaches (some containers
 *       close the response at once);
 *   <li>{@link #onChainEnd()}, which the filter calls when the chain returns.
 * </ul>
 * Later triggers do nothing. The hook runs at most once per wrapper, even across {@link #reset()}.
 *
 * <p><b>Counting is conservative.</b> The hook may run a little before the container would commit,
 * never after. Characters written through the writer are counted as up to three bytes each (the
 * UTF-8 length of the character; more for charsets such as UTF-16 that need more). A single write
 * larger than a quarter of the buffer also runs the hook: Jetty, by default, sends a write larger
 * than its output aggregation size (a quarter of the buffer) straight to the network. A buffer size of 0 means every non-empty write commits.
 * {@link #reset()} and {@link #resetBuffer()} start the body count again; {@code reset()} also
 * forgets the content length, as it clears the headers.
 *
 * <p><b>An already committed response.</b> If the application committed the response through a path
 * this wrapper cannot see (for example through the unwrapped response), the hook still runs once on
 * the next trigger. It should check {@code isCommitted()} on the response and, when it is true,
 * keep its changes elsewhere, since headers added now are ignored by the container.
 *
 * <p><b>A hook that throws.</b> The hook counts as called before it runs, so it is never run twice
 * and a hook that re-enters this wrapper does not recurse. An exception it throws propagates to the
 * caller of the method that triggered it, and that method's own work (the flush, the redirect, the
 * write) is not done. Nothing is swallowed.
 *
 * <p>After a {@code reset()} that follows the hook on a response that is not yet committed, the
 * headers the hook added are gone and the hook does not run again; the caller can detect this case
 * with {@link #isHookCalled()} and {@code isCommitted()}.
 *
 * <p>A {@link Listener} given instead of a plain hook also hears of every body write that did not
 * run the hook ({@link Listener#beforeBody()}, so it can bring headers up to date while the response
 * can still take them, even when the container later finishes the response without calling this
 * wrapper), and of every {@link #reset()} ({@link Listener#afterReset()}, so it can put back headers
 * the reset removed).
 *
 * <p>Like the response it wraps, an instance is not thread-safe.
 */
public class OnCommitResponseWrapper extends HttpServletResponseWrapper {

  private static final String CONTENT_LENGTH = "Content-Length";

  private final Listener listener;
  private boolean hookCalled;
  /** Bytes (an upper estimate) written to the body since the start or the last reset. */
  private long bodyBytes;
  /** Declared content length, or -1 when none is known. */
  private long contentLength = -1;

  private PrintWriter writerDelegate;
  private PrintWriter writer;
  private ServletOutputStream streamDelegate;
  private ServletOutputStream stream;

  /**
   * @param response the response to wrap
   * @param beforeCommit run once, just before the response commits (see the class comment)
   */
  public OnCommitResponseWrapper(HttpServletResponse response, Runnable beforeCommit) {
    this(response, hookOnly(Objects.requireNonNull(beforeCommit, "beforeCommit")));
  }

  /**
   * @param response the response to wrap
   * @param listener told just before the response commits (once), before body writes, and after resets
   */
  public OnCommitResponseWrapper(HttpServletResponse response, Listener listener) {
    super(response);
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** What the wrapper tells about the response it wraps. */
  public interface Listener {
    /** The hook: runs once, just before the response commits (see the class comment). */
    void beforeCommit();

    /** Runs before body bytes are passed on when that write does not run the hook. */
    void beforeBody();

    /** Runs after {@link #reset()} cleared the headers and the body. */
    void afterReset();
  }

  private static Listener hookOnly(Runnable beforeCommit) {
    return new Listener() {
      @Override
      public void beforeCommit() {
        beforeCommit.run();
      }

      @Override
      public void beforeBody() {
      }

      @Override
      public void afterReset() {
      }
    };
  }

  /** True once the hook has been called (also when it threw). */
  public boolean isHookCalled() {
    return hookCalled;
  }

  /** Runs the hook if no trigger has run it yet; the filter calls this when the chain returns. */
  public void onChainEnd() {
    runHook();
  }

  private void runHook() {
    if (hookCalled) {
      return;
    }
    hookCalled = true;
    listener.beforeCommit();
  }

  /** Called before {@code bytes} more body bytes are passed on. */
  private void beforeBody(long bytes) {
    if (bytes <= 0) {
      return;
    }
    bodyBytes += bytes;
    if (!hookCalled && (reachesContentLength() || fillsBuffer(bytes))) {
      runHook();
    } else {
      listener.beforeBody();
    }
  }

  private boolean reachesContentLength() {
    return contentLength > 0 && bodyBytes >= contentLength;
  }

  private boolean fillsBuffer(long bytes) {
    int size = super.getBufferSize();
    return size <= 0 || bodyBytes >= size || bytes > size / 4;
  }

  private void contentLengthDeclared(long length) {
    contentLength = length;
    if (!hookCalled && reachesContentLength()) {
      runHook();
    }
  }

  private void headerSet(String name, String value) {
    if (CONTENT_LENGTH.equalsIgnoreCase(name)) {
      contentLengthDeclared(parseLength(value));
    }
  }

  private static long parseLength(String value) {
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // ---- commit triggers -------------------------------------------------------------------

  @Override
  public void flushBuffer() throws IOException {
    runHook();
    super.flushBuffer();
  }

  @Override
  public void sendError(int sc) throws IOException {
    runHook();
    super.sendError(sc);
  }

  @Override
  public void sendError(int sc, String msg) throws IOException {
    runHook();
    super.sendError(sc, msg);
  }

  @Override
  public void sendRedirect(String location) throws IOException {
    runHook();
    super.sendRedirect(location);
  }

  /**
   * The Servlet 6.1 redirect; the other 6.1 overloads call it. The library compiles against
   * Servlet 5.0, so this declares the method without {@code @Override} and reaches the wrapped
   * response reflectively.
   *
   * @throws UnsupportedOperationException when the wrapped response predates Servlet 6.1 (the
   *     hook is then not run)
   */
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    Method method = servlet61Redirect(getResponse().getClass());
    runHook();
    try {
      method.invoke(getResponse(), location, sc, clearBuffer);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + method, e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }

  private static Method servlet61Redirect(Class<?> responseClass) {
    Class<?>[] parameters = {String.class, int.class, boolean.class};
    try {
      return HttpServletResponse.class.getMethod("sendRedirect", parameters);
    } catch (NoSuchMethodException servlet60OrOlder) {
      try {
        return responseClass.getMethod("sendRedirect", parameters);
      } catch (NoSuchMethodException e) {
        throw new UnsupportedOperationException(
            "sendRedirect(String, int, boolean) needs a Servlet 6.1 response", e);
      }
    }
  }

  // ---- content length --------------------------------------------------------------------

  @Override
  public void setContentLength(int len) {
    contentLengthDeclared(len);
    super.setContentLength(len);
  }

  @Override
  public void setContentLengthLong(long len) {
    contentLengthDeclared(len);
    super.setContentLengthLong(len);
  }

  @Override
  public void setHeader(String name, String value) {
    headerSet(name, value);
    super.setHeader(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    headerSet(name, value);
    super.addHeader(name, value);
  }

  @Override
  public void setIntHeader(String name, int value) {
    headerSet(name, Integer.toString(value));
    super.setIntHeader(name, value);
  }

  @Override
  public void addIntHeader(String name, int value) {
    headerSet(name, Integer.toString(value));
    super.addIntHeader(name, value);
  }

  // ---- resets ----------------------------------------------------------------------------

  @Override
  public void reset() {
    super.reset();
    bodyBytes = 0;
    contentLength = -1;
    listener.afterReset();
  }

  @Override
  public void resetBuffer() {
    super.resetBuffer();
    bodyBytes = 0;
  }

  // ---- body ------------------------------------------------------------------------------

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    ServletOutputStream delegate = super.getOutputStream();
    if (delegate != streamDelegate) {
      streamDelegate = delegate;
      stream = new CommitAwareOutputStream(delegate, estimateForResponseCharset());
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    PrintWriter delegate = super.getWriter();
    if (delegate != writerDelegate) {
      writerDelegate = delegate;
      writer = new CommitAwarePrintWriter(delegate, estimateForResponseCharset());
    }
    return writer;
  }

  private BodyEstimate estimateForResponseCharset() {
    return BodyEstimate.forCharset(getCharacterEncoding());
  }

  /**
   * An upper estimate of the bytes a piece of text becomes in the response charset: the UTF-8
   * length for UTF-8 and single-byte charsets, a fixed number of bytes per character otherwise.
   */
  static final class BodyEstimate {
    private static final BodyEstimate UTF8_LIKE = new BodyEstimate(0);
    private final int bytesPerChar;

    private BodyEstimate(int bytesPerChar) {
      this.bytesPerChar = bytesPerChar;
    }

    /** Estimates of the charsets met so far (a handful in practice; bounded all the same). */
    private static final Map<String, BodyEstimate> KNOWN = new ConcurrentHashMap<>();
    private static final int MAX_KNOWN = 64;

    static BodyEstimate forCharset(String name) {
      // The common cases cost no lookup and no encoder.
      if (name == null || name.equalsIgnoreCase("UTF-8") || name.equalsIgnoreCase("ISO-8859-1")) {
        return UTF8_LIKE;
      }
      BodyEstimate known = KNOWN.get(name);
      if (known == null) {
        known = measure(name);
        if (KNOWN.size() < MAX_KNOWN) {
          KNOWN.put(name, known);
        }
      }
      return known;
    }

    private static BodyEstimate measure(String name) {
      Charset charset;
      try {
        charset = Charset.forName(name);
      } catch (RuntimeException unknownOrIllegal) {
        return new BodyEstimate(4);
      }
      if (charset.equals(StandardCharsets.UTF_8) || !charset.canEncode()) {
        return UTF8_LIKE;
      }
      float max = charset.newEncoder().maxBytesPerChar();
      return max <= 1 ? UTF8_LIKE : new BodyEstimate(Math.max(3, (int) Math.ceil(max)));
    }

    long of(char c) {
      if (bytesPerChar > 0) {
        return bytesPerChar;
      }
      return c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }

    long of(CharSequence s, int off, int len) {
      if (bytesPerChar > 0) {
        return (long) bytesPerChar * len;
      }
      long n = 0;
      for (int i = off, end = off + len; i < end; i++) {
        n += of(s.charAt(i));
      }
      return n;
    }

    long of(char[] cbuf, int off, int len) {
      if (bytesPerChar > 0) {
        return (long) bytesPerChar * len;
      }
      long n = 0;
      for (int i = off, end = off + len; i < end; i++) {
        n += of(cbuf[i]);
      }
      return n;
    }

    long of(String s) {
      return of(s, 0, s.length());
    }
  }

  /**
   * The writer handed to the application. Every {@link PrintWriter} method (print, println,
   * printf, format, append, write) ends in the {@link CountingWriter} below, which counts and runs
   * the hook before passing characters on to the container's writer.
   */
  private final class CommitAwarePrintWriter extends PrintWriter {
    private final PrintWriter delegate;

    CommitAwarePrintWriter(PrintWriter delegate, BodyEstimate estimate) {
      super(new CountingWriter(delegate, estimate), false);
      this.delegate = delegate;
    }

    /** Flushes, as {@link PrintWriter#checkError()} does, so it runs the hook first. */
    @Override
    public boolean checkError() {
      runHook();
      boolean mine = super.checkError();
      return delegate.checkError() || mine;
    }
  }

  private final class CountingWriter extends Writer {
    private final PrintWriter delegate;
    private final BodyEstimate estimate;

    CountingWriter(PrintWriter delegate, BodyEstimate estimate) {
      super(delegate);
      this.delegate = delegate;
      this.estimate = estimate;
    }

    @Override
    public void write(int c) {
      beforeBody(estimate.of((char) c));
      delegate.write(c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      Objects.checkFromIndexSize(off, len, cbuf.length);
      beforeBody(estimate.of(cbuf, off, len));
      delegate.write(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
      Objects.checkFromIndexSize(off, len, str.length());
      beforeBody(estimate.of(str, off, len));
      delegate.write(str, off, len);
    }

    @Override
    public void flush() {
      runHook();
      delegate.flush();
    }

    @Override
    public void close() {
      runHook();
      delegate.close();
    }
  }

  /** The stream handed to the application: counts, runs the hook, then delegates every call. */
  private final class CommitAwareOutputStream extends ServletOutputStream {
    private static final int CRLF = 2;
    private final ServletOutputStream delegate;
    private final BodyEstimate estimate;

    CommitAwareOutputStream(ServletOutputStream delegate, BodyEstimate estimate) {
      this.delegate = delegate;
      this.estimate = estimate;
    }

    @Override
    public void write(int b) throws IOException {
      beforeBody(1);
      delegate.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
      beforeBody(b.length);
      delegate.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      beforeBody(len);
      delegate.write(b, off, len);
    }

    // The container may encode print() text in the response charset, so it is estimated as text.

    @Override
    public void print(String s) throws IOException {
      beforeBody(estimate.of(String.valueOf(s)));
      delegate.print(s);
    }

    @Override
    public void print(boolean b) throws IOException {
      beforeBody(estimate.of(String.valueOf(b)));
      delegate.print(b);
    }

    @Override
    public void print(char c) throws IOException {
      beforeBody(estimate.of(c));
      delegate.print(c);
    }

    @Override
    public void print(int i) throws IOException {
      beforeBody(estimate.of(String.valueOf(i)));
      delegate.print(i);
    }

    @Override
    public void print(long l) throws IOException {
      beforeBody(estimate.of(String.valueOf(l)));
      delegate.print(l);
    }

    @Override
    public void print(float f) throws IOException {
      beforeBody(estimate.of(String.valueOf(f)));
      delegate.print(f);
    }

    @Override
    public void print(double d) throws IOException {
      beforeBody(estimate.of(String.valueOf(d)));
      delegate.print(d);
    }

    @Override
    public void println() throws IOException {
      beforeBody(CRLF);
      delegate.println();
    }

    @Override
    public void println(String s) throws IOException {
      beforeBody(estimate.of(String.valueOf(s)) + CRLF);
      delegate.println(s);
    }

    @Override
    public void println(boolean b) throws IOException {
      beforeBody(estimate.of(String.valueOf(b)) + CRLF);
      delegate.println(b);
    }

    @Override
    public void println(char c) throws IOException {
      beforeBody(estimate.of(c) + CRLF);
      delegate.println(c);
    }

    @Override
    public void println(int i) throws IOException {
      beforeBody(estimate.of(String.valueOf(i)) + CRLF);
      delegate.println(i);
    }

    @Override
    public void println(long l) throws IOException {
      beforeBody(estimate.of(String.valueOf(l)) + CRLF);
      delegate.println(l);
    }

    @Override
    public void println(float f) throws IOException {
      beforeBody(estimate.of(String.valueOf(f)) + CRLF);
      delegate.println(f);
    }

    @Override
    public void println(double d) throws IOException {
      beforeBody(estimate.of(String.valueOf(d)) + CRLF);
      delegate.println(d);
    }

    @Override
    public void flush() throws IOException {
      runHook();
      delegate.flush();
    }

    @Override
    public void close() throws IOException {
      runHook();
      delegate.close();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      delegate.setWriteListener(listener);
    }
  }
}
