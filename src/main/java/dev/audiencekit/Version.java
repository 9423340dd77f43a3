package dev.audiencekit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, from the build (sent as {@code context.library.version}). */
final class Version {
  static final String VALUE = load();

  private Version() {}

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.startsWith("${")) {
          return version;
        }
      }
    } catch (IOException e) {
      // fall through: the version is informational only
    }
    return "dev";
  }
}
