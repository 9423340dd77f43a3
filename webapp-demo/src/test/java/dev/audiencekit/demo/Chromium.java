package dev.audiencekit.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium through Debian's ChromeDriver, with a throwaway profile.
 * Like a strict ad blocker, it reaches no host but the loopback one: every other name resolves to
 * nothing ({@code --host-resolver-rules}), so a page that needed the vendor's CDN or API would fail.
 *
 * <p>{@link #close()} quits the browser whatever state the test left it in, then ends any Chromium or
 * ChromeDriver process this JVM started that is still alive, and deletes the profile. A shutdown hook
 * does the same if the JVM ends before {@code close()} ran, so a build never leaves a browser behind.
 */
final class Chromium implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
  private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
      "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-default-apps", "--window-size=1280,1000",
      "--lang=en-GB", "--host-resolver-rules=" + Chromium.ONLY_LOOPBACK);
  /** Every host name but the loopback ones resolves to nothing. */
  static final String ONLY_LOOPBACK = "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1";

  private final ChromeDriver driver;
  private final Path profile;
  private final Thread shutdownHook;
  private boolean closed;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
    this.shutdownHook = new Thread(this::quit, "chromium-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
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

  /** Starts ChromeDriver and a headless Chromium; ChromeDriver's log goes to {@code logDir}. */
  static Chromium start(Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path profile = Files.createTempDirectory("audiencekit-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM); // with the driver given below, Selenium Manager is never asked to fetch one
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .withLogFile(logDir.resolve("chromedriver.log").toFile())
        .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
      return new Chromium(driver, profile);
    } catch (RuntimeException e) {
      service.stop();
      reapBrowserProcesses();
      deleteQuietly(profile);
      throw e;
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    quit();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook ran quit() too, which is harmless
    }
  }

  private synchronized void quit() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      driver.quit(); // ends the session (Chromium exits) and stops ChromeDriver
    } catch (RuntimeException e) {
      // a browser that no longer answers is ended below
    } finally {
      reapBrowserProcesses();
      deleteQuietly(profile);
    }
  }

  /** Ends every Chromium/ChromeDriver process started by this JVM that is still running. */
  static void reapBrowserProcesses() {
    List<ProcessHandle> left = new ArrayList<>();
    try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
      descendants.filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.toLowerCase().contains("chrom")).orElse(false))
          .forEach(left::add);
    }
    left.forEach(ProcessHandle::destroy);
    for (ProcessHandle process : left) {
      try {
        process.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary profile left behind is harmless
    }
  }
}
