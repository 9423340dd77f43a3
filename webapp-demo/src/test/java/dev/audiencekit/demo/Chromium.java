package dev.audiencekit.demo;

import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Headless Chromium driven by ChromeDriver over the W3C WebDriver protocol, spoken as plain HTTP with
 * {@code java.net.http} (no Selenium). Uses Debian's {@code chromium} and {@code chromium-driver}.
 */
final class Chromium implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process driver;
  private final URI session;
  private final Path profile;

  private Chromium(Process driver, URI session, Path profile) {
    this.driver = driver;
    this.session = session;
    this.profile = profile;
  }

  /** Why the browser tests cannot run here, or null when Chromium and ChromeDriver are installed. */
  static String missing() {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      return "The browser tests need Debian's Chromium and ChromeDriver (" + CHROMIUM + ", " + CHROMEDRIVER
          + "): run `apt-get install -y chromium chromium-driver` (as .ci/run does), or point "
          + "-Dchromium.binary / -Dchromedriver.binary at them.";
    }
    return null;
  }

  static Chromium start(Path logDir) throws IOException {
    Files.createDirectories(logDir);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process driver = new ProcessBuilder(CHROMEDRIVER, "--port=" + port, "--allowed-ips=127.0.0.1")
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve("chromedriver.log").toFile())
        .start();
    URI base = URI.create("http://127.0.0.1:" + port);
    try {
      await("chromedriver ready").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions().until(() -> get(base.resolve("/status")).getJsonObject("value").getBoolean("ready"));
      Path profile = Files.createTempDirectory("audiencekit-chromium");
      JsonArrayBuilder args = Json.createArrayBuilder();
      for (String arg : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-default-apps", "--window-size=1280,1000", "--lang=en-GB",
          "--user-data-dir=" + profile)) {
        args.add(arg);
      }
      JsonObject capabilities = Json.createObjectBuilder()
          .add("capabilities", Json.createObjectBuilder().add("alwaysMatch", Json.createObjectBuilder()
              .add("browserName", "chrome")
              .add("goog:chromeOptions", Json.createObjectBuilder().add("binary", CHROMIUM).add("args", args))))
          .build();
      JsonObject created = post(base.resolve("/session"), capabilities).getJsonObject("value");
      return new Chromium(driver, base.resolve("/session/" + created.getString("sessionId") + "/"), profile);
    } catch (RuntimeException | IOException e) {
      driver.destroy();
      throw e;
    }
  }

  // ------------------------------------------------------------------ commands

  void open(String url) {
    command("url", Json.createObjectBuilder().add("url", url).build());
  }

  String currentUrl() {
    return ((jakarta.json.JsonString) command("url", null)).getString();
  }

  /** The first element matching {@code css}; fails when there is none. */
  String find(String css) {
    JsonValue value = command("element", Json.createObjectBuilder().add("using", "css selector").add("value", css).build());
    if (!(value instanceof JsonObject element) || !(element.get(ELEMENT) instanceof jakarta.json.JsonString id)) {
      throw new IllegalStateException("no element for " + css + ": " + value);
    }
    return id.getString();
  }

  boolean exists(String css) {
    return script("return document.querySelector(arguments[0]) !== null;", css) == JsonValue.TRUE;
  }

  void click(String css) {
    command("element/" + find(css) + "/click", JsonValue.EMPTY_JSON_OBJECT);
  }

  void type(String css, String text) {
    command("element/" + find(css) + "/value", Json.createObjectBuilder().add("text", text).build());
  }

  String text(String css) {
    return ((jakarta.json.JsonString) command("element/" + find(css) + "/text", null)).getString();
  }

  /** Runs {@code js} in the page with string arguments and answers its return value. */
  JsonValue script(String js, String... arguments) {
    JsonArrayBuilder args = Json.createArrayBuilder();
    for (String argument : arguments) {
      args.add(argument);
    }
    return command("execute/sync", Json.createObjectBuilder().add("script", js).add("args", args).build());
  }

  String scriptText(String js, String... arguments) {
    JsonValue value = script(js, arguments);
    return value instanceof jakarta.json.JsonString s ? s.getString() : null;
  }

  void windowSize(int width, int height) {
    command("window/rect", Json.createObjectBuilder().add("width", width).add("height", height).build());
  }

  void screenshot(Path file) throws IOException {
    String png = ((jakarta.json.JsonString) command("screenshot", null)).getString();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(png));
  }

  @Override
  public void close() {
    try {
      send(HttpRequest.newBuilder(session).DELETE());
    } catch (RuntimeException e) {
      // the session may already be gone; the driver is stopped below either way
    } finally {
      driver.destroy();
      try {
        driver.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deleteQuietly(profile);
    }
  }

  // ------------------------------------------------------------------ protocol

  private JsonValue command(String path, JsonObject body) {
    URI uri = session.resolve(path);
    JsonObject answer = body == null ? get(uri) : post(uri, body);
    return answer.get("value");
  }

  private static JsonObject get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  private static JsonObject post(URI uri, JsonObject body) {
    return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  private static JsonObject send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject json = Json.createReader(new StringReader(response.body())).readObject();
      if (response.statusCode() != 200) {
        throw new IllegalStateException("WebDriver " + request.build().uri() + " answered " + response.statusCode()
            + ": " + json.getJsonObject("value"));
      }
      return json;
    } catch (IOException e) {
      throw new IllegalStateException("WebDriver " + request.build().uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary profile left behind is harmless
    }
  }
}
