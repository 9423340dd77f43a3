package dev.audiencekit.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small container stand-in: it records calls, keeps headers, and commits as a container does:
 * on flushBuffer, sendError, sendRedirect, a flush or close of the body, and when the body fills the
 * buffer or reaches the content length. Headers set after the commit are ignored, as containers do.
 */
final class FakeResponse implements HttpServletResponse {

  final List<String> calls = new ArrayList<>();
  final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private boolean committed;
  private int bufferSize = 1024;
  private long contentLength = -1;
  private int status = SC_OK;
  private String characterEncoding = "UTF-8";
  private String contentType;
  private Locale locale = Locale.ROOT;
  private final FakeStream stream = new FakeStream();
  private PrintWriter writer;
  /** Bytes that passed through the body while the response was not yet committed. */
  long bytesBeforeCommit;
  /** Not null once committed: what committed it. */
  String committedBy;

  void commit(String by) {
    if (!committed) {
      committed = true;
      committedBy = by;
    }
  }

  /** Marks the response committed behind the wrapper's back, as an app using the raw response can. */
  void commitBehindTheWrappersBack() {
    commit("elsewhere");
  }

  String bodyText() {
    return body.toString(Charset.forName(characterEncoding));
  }

  // ---- body --------------------------------------------------------------------------------

  private void bodyWritten(int len) {
    calls.add("write " + len);
    if (!committed) {
      bytesBeforeCommit += len;
    }
    if (body.size() >= bufferSize) {
      commit("buffer full");
    }
    if (contentLength > 0 && body.size() >= contentLength) {
      commit("content length");
    }
  }

  final class FakeStream extends ServletOutputStream {
    WriteListener listener;
    boolean ready = true;

    @Override
    public void write(int b) {
      body.write(b);
      bodyWritten(1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      body.write(b, off, len);
      bodyWritten(len);
    }

    @Override
    public void flush() {
      calls.add("stream flush");
      commit("stream flush");
    }

    @Override
    public void close() {
      calls.add("stream close");
      commit("stream close");
    }

    @Override
    public boolean isReady() {
      calls.add("isReady");
      return ready;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      calls.add("setWriteListener");
      listener = writeListener;
    }
  }

  @Override
  public ServletOutputStream getOutputStream() {
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      Charset charset = Charset.forName(characterEncoding);
      writer = new PrintWriter(new Writer() {
        @Override
        public void write(char[] cbuf, int off, int len) {
          byte[] b = new String(cbuf, off, len).getBytes(charset);
          stream.write(b, 0, b.length);
        }

        @Override
        public void flush() {
          calls.add("writer flush");
          commit("writer flush");
        }

        @Override
        public void close() {
          calls.add("writer close");
          commit("writer close");
        }
      });
    }
    return writer;
  }

  // ---- commit ------------------------------------------------------------------------------

  @Override
  public void flushBuffer() {
    calls.add("flushBuffer");
    commit("flushBuffer");
  }

  @Override
  public void sendError(int sc, String msg) {
    calls.add("sendError " + sc + " " + msg);
    status = sc;
    commit("sendError");
  }

  @Override
  public void sendError(int sc) {
    calls.add("sendError " + sc);
    status = sc;
    commit("sendError");
  }

  @Override
  public void sendRedirect(String location) {
    calls.add("sendRedirect " + location);
    status = SC_FOUND;
    commit("sendRedirect");
  }

  /** The Servlet 6.1 method, present here so the wrapper can reach it on a 6.0 test classpath. */
  public void sendRedirect(String location, int sc, boolean clearBuffer) throws IOException {
    calls.add("sendRedirect " + location + " " + sc + " " + clearBuffer);
    if ("/io-error".equals(location)) {
      throw new IOException("broken pipe");
    }
    status = sc;
    commit("sendRedirect");
  }

  @Override
  public boolean isCommitted() {
    return committed;
  }

  @Override
  public void reset() {
    if (committed) {
      throw new IllegalStateException("committed");
    }
    calls.add("reset");
    headers.clear();
    contentLength = -1;
    body.reset();
  }

  @Override
  public void resetBuffer() {
    if (committed) {
      throw new IllegalStateException("committed");
    }
    calls.add("resetBuffer");
    body.reset();
  }

  @Override
  public void setBufferSize(int size) {
    bufferSize = size;
  }

  @Override
  public int getBufferSize() {
    return bufferSize;
  }

  // ---- headers -----------------------------------------------------------------------------

  private void put(String name, String value, boolean replace) {
    if (committed) {
      calls.add("ignored header " + name);
      return;
    }
    if ("Content-Length".equalsIgnoreCase(name)) {
      try {
        contentLength = value == null ? -1 : Long.parseLong(value);
      } catch (NumberFormatException e) {
        contentLength = -1;
      }
    }
    List<String> values = headers.computeIfAbsent(name, n -> new ArrayList<>());
    if (replace) {
      values.clear();
    }
    if (value != null) {
      values.add(value);
    }
  }

  @Override
  public void setHeader(String name, String value) {
    put(name, value, true);
  }

  @Override
  public void addHeader(String name, String value) {
    put(name, value, false);
  }

  @Override
  public void setIntHeader(String name, int value) {
    put(name, Integer.toString(value), true);
  }

  @Override
  public void addIntHeader(String name, int value) {
    put(name, Integer.toString(value), false);
  }

  @Override
  public void setDateHeader(String name, long date) {
    put(name, Long.toString(date), true);
  }

  @Override
  public void addDateHeader(String name, long date) {
    put(name, Long.toString(date), false);
  }

  @Override
  public void setContentLength(int len) {
    setContentLengthLong(len);
  }

  @Override
  public void setContentLengthLong(long len) {
    put("Content-Length", Long.toString(len), true);
  }

  @Override
  public boolean containsHeader(String name) {
    return headers.containsKey(name) && !headers.get(name).isEmpty();
  }

  @Override
  public String getHeader(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public Collection<String> getHeaders(String name) {
    return List.copyOf(headers.getOrDefault(name, List.of()));
  }

  @Override
  public Collection<String> getHeaderNames() {
    return List.copyOf(headers.keySet());
  }

  @Override
  public void addCookie(Cookie cookie) {
    put("Set-Cookie", cookie.getName() + "=" + cookie.getValue(), false);
  }

  // ---- the rest ----------------------------------------------------------------------------

  @Override
  public String encodeURL(String url) {
    return url;
  }

  @Override
  public String encodeRedirectURL(String url) {
    return url;
  }

  @Override
  public void setStatus(int sc) {
    if (!committed) {
      status = sc;
    }
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public String getCharacterEncoding() {
    return characterEncoding;
  }

  @Override
  public void setCharacterEncoding(String charset) {
    if (writer == null && !committed) {
      characterEncoding = charset;
    }
  }

  @Override
  public String getContentType() {
    return contentType;
  }

  @Override
  public void setContentType(String type) {
    contentType = type;
  }

  @Override
  public void setLocale(Locale loc) {
    locale = loc;
  }

  @Override
  public Locale getLocale() {
    return locale;
  }
}
