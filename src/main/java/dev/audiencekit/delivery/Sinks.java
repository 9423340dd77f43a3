package dev.audiencekit.delivery;

import dev.audiencekit.config.Settings;
import dev.audiencekit.sink.EventSink;
import dev.audiencekit.sink.HttpSink;
import dev.audiencekit.sink.JsonlSink;
import dev.audiencekit.sink.LogSink;
import dev.audiencekit.sink.MemorySink;
import dev.audiencekit.sink.NoneSink;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/** Builds the sink named by one item of the {@code sink} init-param. */
final class Sinks {
  private Sinks() {}

  static EventSink create(String spec, Settings settings, String name) {
    try {
      switch (spec) {
        case "http":
          return new HttpSink(settings, "audiencekit-" + name + "-http");
        case "log":
          return new LogSink();
        case "memory":
          return new MemorySink();
        case "none":
          return new NoneSink();
        default:
          if (spec.startsWith("jsonl:")) {
            return new JsonlSink(Path.of(spec.substring("jsonl:".length())));
          }
          return instantiate(spec, settings);
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": '" + spec + "' cannot be used: "
          + Outages.describe(e), e);
    }
  }

  private static EventSink instantiate(String className, Settings settings) throws ReflectiveOperationException {
    Class<?> type = load(className);
    if (!EventSink.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": '" + className
          + "' does not implement " + EventSink.class.getName());
    }
    try {
      try {
        Constructor<?> withSettings = type.getConstructor(Settings.class);
        return (EventSink) withSettings.newInstance(settings);
      } catch (NoSuchMethodException e) {
        return (EventSink) type.getConstructor().newInstance();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": '" + className
          + "' has neither a public (Settings) nor a public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": '" + className
          + "' failed in its constructor: " + Outages.describe(e.getCause()), e.getCause());
    }
  }

  private static Class<?> load(String className) throws ClassNotFoundException {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null) {
      try {
        return Class.forName(className, true, context);
      } catch (ClassNotFoundException e) {
        // fall through to the library's own loader
      }
    }
    try {
      return Class.forName(className, true, Sinks.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": class '" + className
          + "' is not on the web application's class path", e);
    }
  }
}
