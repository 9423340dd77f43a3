package dev.audiencekit.delivery;

import dev.audiencekit.metrics.Metrics;
import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link SpoolTest}: starts delivery to an endpoint that refuses connections,
 * accepts events, prints {@code ACCEPTED <n>} and waits to be killed.
 */
public final class KillChild {
  public static void main(String[] args) throws Exception {
    Path spool = Path.of(args[0]);
    String endpoint = args[1];
    int count = Integer.parseInt(args[2]);
    Delivery delivery = Delivery.start(Events.settings("writeKey", "wk", "endpoint", endpoint,
        "spool.dir", spool.toString(), "retry.maxBackoffMs", "1000"), new Metrics(), spool, "child");
    for (int i = 0; i < count; i++) {
      delivery.accept(Events.track("k-" + i));
    }
    System.out.println("ACCEPTED " + count);
    System.out.flush();
    Object forever = new Object();
    synchronized (forever) {
      forever.wait(); // until the parent kills this process
    }
  }
}
