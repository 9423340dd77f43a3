package dev.audiencekit.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WAR deployed into a standalone container distribution the way a user deploys it: the distribution
 * unpacked as shipped (by maven-dependency-plugin, into {@code target/containers}), a fresh base folder
 * of its own, the WAR copied into {@code webapps/ROOT.war}, the container started with plain
 * {@code java}. The pairs come from system properties set in the pom; a new container or a second WAR
 * (e.g. the javax build on Jetty's ee8 environment) is one more line in {@link #all()}.
 */
record Deployment(String name, Container container, Path home, Path war) {

  /** How a distribution is laid out and started. */
  enum Container {
    /** Apache Tomcat: {@code CATALINA_BASE} with a copy of {@code conf/}, server.xml bound to 127.0.0.1. */
    TOMCAT {
      @Override
      List<String> prepare(Path home, Path base, int port) throws IOException {
        copyTree(home.resolve("conf"), base.resolve("conf"));
        for (String dir : List.of("logs", "temp", "work", "webapps")) {
          Files.createDirectories(base.resolve(dir));
        }
        Path serverXml = base.resolve("conf/server.xml");
        String xml = Files.readString(serverXml);
        String bound = replaceOnce(xml, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
            "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"");
        bound = replaceOnce(bound, "<Server port=\"8005\"", "<Server port=\"-1\""); // no shutdown port
        Files.writeString(serverXml, bound);
        return List.of(java(), "-Dcatalina.home=" + home, "-Dcatalina.base=" + base,
            "-Djava.io.tmpdir=" + base.resolve("temp"),
            "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
            "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
            "-cp", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
            "org.apache.catalina.startup.Bootstrap", "start");
      }
    },
    /** Eclipse Jetty 12 ({@code jetty-home}), ee10 environment: a {@code jetty.base} with deploy and JSP. */
    JETTY_EE10 {
      @Override
      List<String> prepare(Path home, Path base, int port) throws IOException {
        return jetty(home, base, port, "ee10");
      }
    };

    /** Lays out the base folder for a server on {@code port}; answers the command that starts it. */
    abstract List<String> prepare(Path home, Path base, int port) throws IOException;

    static List<String> jetty(Path home, Path base, int port, String environment) throws IOException {
      Files.createDirectories(base.resolve("temp"));
      List<String> startJar = List.of(java(), "-Djava.io.tmpdir=" + base.resolve("temp"), "-jar",
          home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base);
      List<String> addModules = new ArrayList<>(startJar);
      addModules.add("--add-modules=http," + environment + "-deploy," + environment + "-jsp");
      run(addModules, base, base.resolve("add-modules.log"));
      List<String> start = new ArrayList<>(startJar);
      start.add("jetty.http.host=127.0.0.1");
      start.add("jetty.http.port=" + port);
      return start;
    }
  }

  /** Every deployment the tests know: the demo WAR on Tomcat 10.1 and 11 and on Jetty 12 ee10. */
  static List<Deployment> all() {
    Path demoWar = Path.of(property("demo.war"));
    return List.of(
        new Deployment("tomcat-10.1", Container.TOMCAT, Path.of(property("standalone.tomcat10.home")), demoWar),
        new Deployment("tomcat-11.0", Container.TOMCAT, Path.of(property("standalone.tomcat11.home")), demoWar),
        new Deployment("jetty-12-ee10", Container.JETTY_EE10, Path.of(property("standalone.jetty.home")), demoWar));
  }

  static Deployment named(String name) {
    return all().stream().filter(d -> d.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no deployment named " + name));
  }

  /** Lays out a fresh base, copies the WAR into its {@code webapps/} and starts the container. */
  StandaloneServer start() throws IOException {
    if (!Files.isRegularFile(war)) {
      throw new IllegalStateException("no WAR at " + war + " (run `mvn verify`: the WAR is built in package)");
    }
    if (!Files.isDirectory(home)) {
      throw new IllegalStateException("no distribution at " + home + " (maven-dependency-plugin unpacks it in"
          + " pre-integration-test)");
    }
    Path root = Path.of(property("standalone.work"));
    Files.createDirectories(root);
    Path base = Files.createTempDirectory(root, name + "-");
    int port = StandaloneServer.freePort();
    List<String> command = container.prepare(home.toAbsolutePath(), base.toAbsolutePath(), port);
    Files.createDirectories(base.resolve("webapps"));
    Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
    return StandaloneServer.launch(name, command, base, base.resolve("server.log"), port);
  }

  @Override
  public String toString() {
    return war.getFileName() + " on " + name;
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property " + key + " is not set (the pom's failsafe configuration"
          + " sets it)");
    }
    return value;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String replaceOnce(String text, String target, String replacement) {
    int at = text.indexOf(target);
    if (at < 0) {
      throw new IllegalStateException("server.xml has no " + target);
    }
    return text.substring(0, at) + replacement + text.substring(at + target.length());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void run(List<String> command, Path dir, Path log) throws IOException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 60 s; see " + log);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(command + " exited " + process.exitValue() + "; see " + log);
    }
  }
}
