package dev.audiencekit.delivery;

import static dev.audiencekit.delivery.Events.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencekit.metrics.Metrics;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request thread never waits for the network: accepting events while the collector hangs costs
 * about what it costs with no sink at all. Compared as a ratio in one run, with a generous bound.
 */
class AcceptLatencyTest {
  private static final int EVENTS = 20_000;

  @TempDir Path tmp;

  @Test
  void acceptStaysFastWhileTheCollectorHangs() throws Exception {
    String[] events = new String[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      events[i] = Events.track("m-" + i);
    }
    try (Collector collector = Collector.start()) {
      collector.always(collector.hang());
      Delivery none = Delivery.start(settings("sink", "none", "spool.dir", tmp.resolve("a").toString()),
          new Metrics(), tmp, "none", Events.fast());
      Delivery hanging = Delivery.start(settings("writeKey", "wk", "endpoint", collector.endpoint(),
          "http.timeoutMs", "60000", "flushAt", "50", "spool.dir", tmp.resolve("b").toString(),
          "shutdownTimeoutMs", "0"), new Metrics(), tmp, "hang", Events.fast());
      try {
        long[] noneNanos = new long[7];
        long[] hangNanos = new long[7];
        for (int round = 0; round < 7; round++) { // interleaved, so both see the same machine load
          noneNanos[round] = time(none, events);
          hangNanos[round] = time(hanging, events);
        }
        long noneMedian = median(noneNanos);
        long hangMedian = median(hangNanos);
        // a blocking design would wait for the 60 s timeout: many orders of magnitude, not a small factor
        assertThat((double) hangMedian / Math.max(1, noneMedian))
            .as("accept with a hanging collector (%d ns) vs with no sink (%d ns) per %d events",
                hangMedian, noneMedian, EVENTS)
            .isLessThan(25.0);
      } finally {
        collector.release();
        none.close();
        hanging.close();
      }
    }
  }

  private static long time(Delivery delivery, String[] events) {
    long start = System.nanoTime();
    for (String event : events) {
      delivery.accept(event);
    }
    return System.nanoTime() - start;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
