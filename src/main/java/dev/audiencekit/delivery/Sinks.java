package dev.audiencekit.delivery;

import dev.audiencekit.config.InvalidSettingException;
import dev.audiencekit.config.Plugins;
import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Outages;
import dev.audiencekit.sink.EventSink;
import dev.audiencekit.sink.HttpSink;
import dev.audiencekit.sink.JsonlSink;
import dev.audiencekit.sink.LogSink;
import dev.audiencekit.sink.MemorySink;
import dev.audiencekit.sink.NoneSink;
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
          return Plugins.instantiate(Settings.SINK, spec, EventSink.class, settings);
      }
    } catch (IllegalArgumentException | InvalidSettingException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("init-param " + Settings.SINK + ": '" + spec + "' cannot be used: "
          + Outages.describe(e), e);
    }
  }
}
