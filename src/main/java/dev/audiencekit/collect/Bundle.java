package dev.audiencekit.collect;

import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Settings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * The analytics.js file of {@code collect.bundle}, read once at start-up and kept in memory with its
 * gzip form and an entity tag. Served with {@code Cache-Control: public, max-age=300} and revalidated
 * with {@code If-None-Match} after that, so a redeployed bundle reaches browsers within five minutes.
 */
final class Bundle {
  /** A larger file is refused at start-up: analytics.js is about 115 KB. */
  static final int MAX_BYTES = 16 * 1024 * 1024;
  static final String CONTENT_TYPE = "text/javascript; charset=utf-8";
  static final String CACHE_CONTROL = "public, max-age=300";

  private final byte[] plain;
  private final byte[] gzip;
  private final String etag;

  private Bundle(byte[] plain) {
    this.plain = plain;
    this.gzip = gzip(plain);
    this.etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(plain)).substring(0, 22) + "\"";
  }

  /**
   * Reads the bundle.
   *
   * @param loader the web application's class loader, for {@code classpath:} resources
   * @throws InvalidSettingException naming {@code collect.bundle} when it cannot be read
   */
  static Bundle load(Settings.BundleSource source, ClassLoader loader) {
    try (InputStream in = open(source, loader)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new InvalidSettingException(Settings.COLLECT_BUNDLE, source.toString(),
            "is over " + MAX_BYTES + " bytes; name the analytics.js bundle itself (dist/umd/standalone.js)");
      }
      return new Bundle(bytes);
    } catch (IOException e) {
      throw new InvalidSettingException(Settings.COLLECT_BUNDLE, source.toString(),
          "cannot be read (" + e.getMessage() + "); name a readable file or a classpath: resource");
    }
  }

  private static InputStream open(Settings.BundleSource source, ClassLoader loader) throws IOException {
    if (source.classpath()) {
      InputStream in = loader == null ? null : loader.getResourceAsStream(source.location());
      if (in == null) {
        throw new InvalidSettingException(Settings.COLLECT_BUNDLE, source.toString(),
            "names no resource of the web application's class path (e.g. WEB-INF/classes/"
                + source.location() + "); classpath: names carry no leading /");
      }
      return in;
    }
    Path file = Path.of(source.location());
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InvalidSettingException(Settings.COLLECT_BUNDLE, source.toString(),
          "is not a readable file (relative paths are resolved against " + Path.of("").toAbsolutePath() + ")");
    }
    return Files.newInputStream(file);
  }

  int length() {
    return plain.length;
  }

  String etag() {
    return etag;
  }

  void serve(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Cache-Control", CACHE_CONTROL);
    response.setHeader("ETag", etag);
    response.setHeader("Vary", "Accept-Encoding");
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (matches(request.getHeader("If-None-Match"))) {
      response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
      return;
    }
    boolean gzipped = acceptsGzip(request.getHeader("Accept-Encoding"));
    byte[] body = gzipped ? gzip : plain;
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(CONTENT_TYPE);
    if (gzipped) {
      response.setHeader("Content-Encoding", "gzip");
    }
    response.setContentLength(body.length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(body);
    }
  }

  private boolean matches(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code Accept-Encoding} lists gzip without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      if (!pieces[0].trim().equalsIgnoreCase("gzip")) {
        continue;
      }
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (parameter.matches("q=0(\\.0{0,3})?")) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("gzip in memory failed", e);
    }
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
