package dev.audiencekit.delivery;

import dev.audiencekit.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Small test events and settings. */
final class Events {
  private static final AtomicLong SEQ = new AtomicLong();

  private Events() {}

  static String track(String messageId) {
    return "{\"type\":\"track\",\"messageId\":\"" + messageId + "\",\"anonymousId\":\"a-1\",\"userId\":null,"
        + "\"event\":\"Test\",\"timestamp\":\"2025-01-01T00:00:00.000Z\",\"properties\":{}}";
  }

  static String track() {
    return track("m-" + SEQ.incrementAndGet());
  }

  /** Settings from key/value pairs. */
  static Settings settings(String... pairs) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return Settings.of(map);
  }

  /** Fast, deterministic tuning for tests: backoff of at most a few ms per step. */
  static Tuning fast() {
    Tuning tuning = Tuning.defaults();
    tuning.backoffBaseMs = 5;
    tuning.random = () -> 0.5;
    tuning.outageLingerMs = 20;
    return tuning;
  }
}
