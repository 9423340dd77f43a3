package dev.audiencekit.sink;

import dev.audiencekit.config.Credentials;
import dev.audiencekit.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code sink=http}: posts each batch to {@code {endpoint}/batch} as
 * {@code {"batch":[…],"sentAt":"…"}}, gzip-compressed, with {@code Authorization: Basic
 * base64(writeKey:)}. Uses the JDK's {@link HttpClient}; {@code http.timeoutMs} bounds both the
 * connection and the wait for the response.
 *
 * <p>Outcome of one request: 2xx delivered; 408, 429, 5xx, other non-4xx answers, connection errors
 * and timeouts are {@link SinkException#retryable} (with the {@code Retry-After} the server gave);
 * any other 4xx is {@link SinkException#rejected} with the start of the response body.
 */
public final class HttpSink implements EventSink {
  /** Batches posted at the same time. */
  public static final int CONCURRENCY = 4;
  /** Longest part of an error response kept for the dead-letter file and the log. */
  static final int MAX_RESPONSE_CHARS = 4096;
  /** The library's version, as sent in {@code User-Agent}. */
  public static final String VERSION = version();

  private static final DateTimeFormatter SENT_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final URI uri;
  /** {@link #uri} as messages show it, any credential in it masked. */
  private final String shownUri;
  private final String authorization;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient client;

  public HttpSink(Settings settings) {
    this(settings, "audiencekit-http");
  }

  /** @param threadPrefix names the HTTP client's threads ({@code <prefix>-n}) */
  public HttpSink(Settings settings, String threadPrefix) {
    this(settings.endpoint(), settings.writeKey(), Duration.ofMillis(settings.httpTimeoutMs()), Clock.systemUTC(),
        threadPrefix);
  }

  HttpSink(URI endpoint, String writeKey, Duration timeout, Clock clock, String threadPrefix) {
    String base = endpoint.toString();
    this.uri = URI.create(base.endsWith("/") ? base + "batch" : base + "/batch");
    this.shownUri = Credentials.mask(uri.toString());
    this.authorization = writeKey == null ? null
        : "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.clock = clock;
    AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, threadPrefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  @Override
  public int maxConcurrency() {
    return CONCURRENCY;
  }

  /** Where batches go: {@code {endpoint}/batch}. */
  public URI uri() {
    return uri;
  }

  @Override
  public void deliver(List<String> events) throws SinkException {
    byte[] body = gzip(body(events, clock.instant()));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .header("User-Agent", "audiencekit-servlet/" + VERSION)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<InputStream> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw SinkException.retryable("no answer from " + shownUri + " within " + timeout.toMillis() + " ms", 0, null, e);
    } catch (IOException e) {
      throw SinkException.retryable("cannot reach " + shownUri + ": " + Credentials.mask(String.valueOf(e)), 0, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw SinkException.retryable("interrupted while posting to " + shownUri, 0, null, e);
    }
    int status = response.statusCode();
    String text = readLimited(response.body());
    if (status >= 200 && status < 300) {
      return;
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      throw SinkException.rejected(status, text);
    }
    Duration retryAfter = parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null), clock);
    throw SinkException.retryable(shownUri + " answered " + status, status, retryAfter, null);
  }

  /** The request body before compression: {@code {"batch":[…],"sentAt":"…"}}. */
  static byte[] body(List<String> events, Instant sentAt) {
    int size = 48;
    for (String event : events) {
      size += event.length() + 1;
    }
    StringBuilder json = new StringBuilder(size);
    json.append("{\"batch\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(events.get(i));
    }
    json.append("],\"sentAt\":\"").append(SENT_AT.format(sentAt)).append("\"}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
    try (GZIPOutputStream gzip = new FastGzip(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e); // cannot happen with a byte array
    }
    return out.toByteArray();
  }

  /** gzip at the fastest level: JSON still shrinks several times, at a fraction of the CPU. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private static String readLimited(InputStream body) {
    try (InputStream in = body) {
      byte[] bytes = in.readNBytes(MAX_RESPONSE_CHARS);
      in.transferTo(OutputStreamSink.INSTANCE); // drain the rest so the connection can be reused
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Discards bytes. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) { }

    @Override
    public void write(byte[] b, int off, int len) { }
  }

  /**
   * Reads a {@code Retry-After} header: delta seconds or an HTTP-date. Returns {@code null} when absent
   * or unreadable, and zero for a date in the past.
   */
  static Duration parseRetryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.trim();
    try {
      long seconds = Long.parseLong(text);
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400L * 365));
    } catch (NumberFormatException e) {
      // not seconds: try the date form
    }
    try {
      ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), when.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (((Object) client) instanceof AutoCloseable closeable) { // Java 21+: also ends the selector thread
      try {
        closeable.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static String version() {
    try (InputStream in = HttpSink.class.getResourceAsStream(
        "/META-INF/maven/dev.audiencekit/audiencekit-servlet/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null) {
          return version;
        }
      }
    } catch (IOException ignored) {
      // fall back below
    }
    String implementation = HttpSink.class.getPackage().getImplementationVersion();
    return implementation != null ? implementation : "dev";
  }
}
