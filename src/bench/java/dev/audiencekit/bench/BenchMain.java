package dev.audiencekit.bench;

import com.segment.analytics.Analytics;
import dev.audiencekit.delivery.Delivery;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the side-by-side benchmark: JMH for the caller-thread cost per event (with {@code -prof gc}),
 * then a sustained-throughput run of each client against the same loopback collector, and prints
 * both with the ratio.
 *
 * <p>{@code mvn -B -Pbench test-compile exec:exec} (see docs/benchmarks.md).
 */
public final class BenchMain {
  private static final int THROUGHPUT_EVENTS = Integer.getInteger("bench.events", 200_000);
  private static final String ANONYMOUS_ID = "6f1c3a52-7d3e-4a9b-9c4e-2b8f0e6d1a77";

  public static void main(String[] args) throws Exception {
    Options options = new OptionsBuilder()
        .include(AcceptBenchmark.class.getName())
        .forks(1)
        .warmupIterations(2).warmupTime(TimeValue.seconds(2))
        .measurementIterations(3).measurementTime(TimeValue.seconds(2))
        .addProfiler(GCProfiler.class)
        .jvmArgsAppend("-Xmx1g")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, double[]> perEvent = new LinkedHashMap<>();
    for (RunResult run : results) {
      String name = run.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      double ns = run.getPrimaryResult().getScore();
      Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
      perEvent.put(name, new double[] {ns, alloc == null ? Double.NaN : alloc.getScore()});
    }

    System.out.println();
    System.out.println("Sustained throughput, " + THROUGHPUT_EVENTS + " events each (after a warm-up round)");
    double[] ak = throughputAudiencekit();
    double[] aj = throughputAnalyticsJava();

    System.out.println();
    System.out.println("==== audiencekit vs analytics-java 3.5.4 (same JVM flags, same loopback collector) ====");
    System.out.printf(Locale.ROOT, "%-44s %14s %14s%n", "caller thread, per event (JMH)", "ns/op", "B/op");
    for (Map.Entry<String, double[]> e : perEvent.entrySet()) {
      System.out.printf(Locale.ROOT, "%-44s %14.1f %14.1f%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
    }
    double[] build = perEvent.get("audiencekitBuildAndAccept");
    double[] only = perEvent.get("audiencekitAcceptOnly");
    double[] theirs = perEvent.get("analyticsJavaEnqueue");
    if (build != null && theirs != null) {
      System.out.printf(Locale.ROOT, "ratio analytics-java / audiencekit (build+accept): time %.1fx, allocation %.1fx%n",
          theirs[0] / build[0], theirs[1] / build[1]);
    }
    if (only != null && theirs != null) {
      System.out.printf(Locale.ROOT, "ratio analytics-java / audiencekit (accept only):  time %.1fx, allocation %.1fx%n",
          theirs[0] / only[0], theirs[1] / only[1]);
    }
    System.out.printf(Locale.ROOT, "%-44s %14s %14s %14s%n", "sustained delivery", "events/s", "caller ns/ev",
        "caller B/ev");
    System.out.printf(Locale.ROOT, "%-44s %14.0f %14.1f %14.1f%n", "audiencekit Delivery", ak[0], ak[1], ak[2]);
    System.out.printf(Locale.ROOT, "%-44s %14.0f %14.1f %14.1f%n", "analytics-java Analytics", aj[0], aj[1], aj[2]);
    System.out.printf(Locale.ROOT, "ratio audiencekit / analytics-java throughput: %.1fx%n", ak[0] / aj[0]);
  }

  /** {events/s, caller ns per event, caller bytes per event}. */
  private static double[] throughputAudiencekit() throws Exception {
    double[] result = null;
    for (int round = 0; round < 2; round++) {
      try (LoopbackCollector collector = new LoopbackCollector();
           Delivery delivery = Clients.audiencekit(collector, THROUGHPUT_EVENTS + 1000)) {
        int events = round == 0 ? THROUGHPUT_EVENTS / 4 : THROUGHPUT_EVENTS;
        long bytesBefore = allocated();
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
          delivery.accept(Clients.buildEvent(i, ANONYMOUS_ID));
        }
        long callerNanos = System.nanoTime() - start;
        long callerBytes = allocated() - bytesBefore;
        delivery.flush();
        awaitAll(collector, events);
        long total = System.nanoTime() - start;
        result = new double[] {events / (total / 1e9), (double) callerNanos / events, (double) callerBytes / events};
      }
    }
    System.out.printf(Locale.ROOT, "audiencekit: %.0f events/s%n", result[0]);
    return result;
  }

  private static double[] throughputAnalyticsJava() throws Exception {
    double[] result = null;
    for (int round = 0; round < 2; round++) {
      try (LoopbackCollector collector = new LoopbackCollector()) {
        Analytics analytics = Clients.analyticsJava(collector);
        try {
          int events = round == 0 ? THROUGHPUT_EVENTS / 4 : THROUGHPUT_EVENTS;
          long bytesBefore = allocated();
          long start = System.nanoTime();
          for (int i = 0; i < events; i++) {
            Clients.enqueue(analytics, i, ANONYMOUS_ID);
          }
          long callerNanos = System.nanoTime() - start;
          long callerBytes = allocated() - bytesBefore;
          analytics.flush();
          awaitAll(collector, events);
          long total = System.nanoTime() - start;
          result = new double[] {events / (total / 1e9), (double) callerNanos / events, (double) callerBytes / events};
        } finally {
          analytics.shutdown();
        }
      }
    }
    System.out.printf(Locale.ROOT, "analytics-java: %.0f events/s%n", result[0]);
    return result;
  }

  private static void awaitAll(LoopbackCollector collector, long events) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (collector.events.sum() < events) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + collector.events.sum() + " of " + events + " arrived in 5 min");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }
}
