package dev.audiencekit.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain {@link Socket} with keep-alive, for sending bytes that {@code java.net.http}
 * refuses (raw bytes above 0x7F, bare CR or LF, NUL, huge or repeated headers). Requests are written as
 * given; responses are read with {@code Content-Length}, chunked or read-to-close bodies. A connection
 * the server closed is reopened for the next request, and {@link #connections()} counts the opens.
 *
 * <p>Header names and values are "byte strings": every {@code char} (0 to 255) is sent as one byte, so
 * text meant as UTF-8 must be turned into a byte string with {@link #utf8Bytes(String)} first.
 */
public final class RawHttp implements AutoCloseable {
  /** No read may wait longer than this (the test fails instead of hanging). */
  private static final int READ_TIMEOUT_MS = 20_000;

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int connections;

  public RawHttp(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  /** One parsed response: status, headers in order (names as sent), body bytes. */
  public record Response(int status, List<String[]> headers, byte[] body) {
    /** Every value of the header {@code name} (case-insensitive), in order. */
    public List<String> all(String name) {
      List<String> values = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          values.add(h[1]);
        }
      }
      return values;
    }

    public String first(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? null : values.get(0);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A request under construction; {@link #bytes()} gives what goes on the wire. */
  public static final class Request {
    private final StringBuilder head = new StringBuilder(256);
    private byte[] body = new byte[0];

    private Request(String method, String target) {
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    }

    /** Adds a header line {@code name: value} (both byte strings, sent as they are). */
    public Request header(String name, String value) {
      head.append(name).append(": ").append(value).append("\r\n");
      return this;
    }

    /** Sends {@code bytes} after the head, as they are (the caller writes the matching framing headers). */
    public Request body(byte[] bytes) {
      this.body = bytes;
      return this;
    }

    public byte[] bytes() {
      byte[] headBytes = (head + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      if (body.length == 0) {
        return headBytes;
      }
      byte[] all = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
      System.arraycopy(body, 0, all, headBytes.length, body.length);
      return all;
    }

    @Override
    public String toString() {
      String s = head.toString();
      return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
    }
  }

  public static Request get(String target) {
    return new Request("GET", target);
  }

  /** A request line with any method. */
  public static Request request(String method, String target) {
    return new Request(method, target);
  }

  /** The UTF-8 encoding of {@code text} as a byte string (one char per byte). */
  public static String utf8Bytes(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Connections opened so far (1 for a run that kept one connection alive throughout). */
  public int connections() {
    return connections;
  }

  /**
   * Sends one request and reads its response. When a kept-alive connection turns out to be closed
   * before any byte of the response arrived, the request is sent once more on a new connection.
   */
  public Response send(Request request) throws IOException {
    byte[] bytes = request.bytes();
    boolean reused = socket != null;
    try {
      return exchange(bytes);
    } catch (EOFException | java.net.SocketException e) {
      if (!reused) {
        throw e;
      }
      closeSocket();
      return exchange(bytes);
    }
  }

  private Response exchange(byte[] bytes) throws IOException {
    if (socket == null) {
      open();
    }
    out.write(bytes);
    out.flush();
    Response response = read();
    String connection = response.first("Connection");
    if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
      closeSocket();
    }
    return response;
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
    in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
    out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    connections++;
  }

  private Response read() throws IOException {
    String statusLine = line(true);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    List<String[]> headers = new ArrayList<>();
    long length = -1;
    boolean chunked = false;
    for (String line = line(false); !line.isEmpty(); line = line(false)) {
      int colon = line.indexOf(':');
      String name = colon < 0 ? line : line.substring(0, colon).trim();
      String value = colon < 0 ? "" : line.substring(colon + 1).trim();
      headers.add(new String[] {name, value});
      if (name.equalsIgnoreCase("Content-Length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    byte[] body;
    if (status == 204 || status == 304 || status / 100 == 1) {
      body = new byte[0];
    } else if (chunked) {
      body = chunkedBody();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
      }
    } else {
      body = in.readAllBytes();
      headers.add(new String[] {"Connection", "close"});
    }
    return new Response(status, headers, body);
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(false);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line(false).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length != size) {
        throw new EOFException("chunk ended early");
      }
      body.write(chunk);
      line(false);
    }
  }

  /** One line without its CRLF, bytes as chars; EOF before the first byte of a status line is an EOFException. */
  private String line(boolean statusLine) throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(statusLine && sb.length() == 0 ? "connection closed before a response"
            : "connection closed in the middle of a line: " + sb);
      }
      if (b == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
      sb.append((char) b);
      if (sb.length() > 256 * 1024) {
        throw new IOException("response line over 256 KiB");
      }
    }
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
    socket = null;
    in = null;
    out = null;
  }

  @Override
  public void close() {
    closeSocket();
  }
}
