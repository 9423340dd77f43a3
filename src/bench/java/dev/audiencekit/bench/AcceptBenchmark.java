package dev.audiencekit.bench;

import com.segment.analytics.Analytics;
import dev.audiencekit.delivery.Delivery;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost on the caller's (request) thread of handing one event to the client. Each invocation is a
 * burst of {@value #BURST} events; between invocations (untimed) the benchmark waits until the
 * collector has received everything, so every burst starts from an empty, healthy pipeline — the
 * state a request thread normally meets — and background delivery of earlier bursts is not billed to
 * the caller.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcceptBenchmark {
  static final int BURST = 1000;
  private static final String ANONYMOUS_ID = "6f1c3a52-7d3e-4a9b-9c4e-2b8f0e6d1a77";

  @State(Scope.Benchmark)
  public static class Audiencekit {
    LoopbackCollector collector;
    Delivery delivery;
    long sent;
    String[] prebuilt;

    @Setup(Level.Trial)
    public void start() throws Exception {
      collector = new LoopbackCollector();
      delivery = Clients.audiencekit(collector, 10_000);
      prebuilt = new String[BURST];
      for (int i = 0; i < BURST; i++) {
        prebuilt[i] = Clients.buildEvent(i, ANONYMOUS_ID);
      }
    }

    @TearDown(Level.Invocation)
    public void drain() {
      delivery.flush();
      while (collector.events.sum() < sent) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      delivery.close();
      collector.close();
    }
  }

  @State(Scope.Benchmark)
  public static class AnalyticsJava {
    LoopbackCollector collector;
    Analytics analytics;
    long sent;

    @Setup(Level.Trial)
    public void start() throws Exception {
      collector = new LoopbackCollector();
      analytics = Clients.analyticsJava(collector);
    }

    @TearDown(Level.Invocation)
    public void drain() {
      analytics.flush();
      while (collector.events.sum() < sent) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      analytics.shutdown();
      collector.close();
    }
  }

  /** audiencekit: build the event JSON (what the filter does) and accept it. */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public void audiencekitBuildAndAccept(Audiencekit state) {
    Delivery delivery = state.delivery;
    long base = state.sent;
    for (int i = 0; i < BURST; i++) {
      delivery.accept(Clients.buildEvent(base + i, ANONYMOUS_ID));
    }
    state.sent = base + BURST;
  }

  /** audiencekit: accept an event whose JSON is already built (the Delivery API alone). */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public void audiencekitAcceptOnly(Audiencekit state) {
    Delivery delivery = state.delivery;
    String[] events = state.prebuilt;
    for (int i = 0; i < BURST; i++) {
      delivery.accept(events[i]);
    }
    state.sent += BURST;
  }

  /** analytics-java 3.5.4: {@code enqueue(TrackMessage.builder(...))}, the documented call. */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public void analyticsJavaEnqueue(AnalyticsJava state) {
    Analytics analytics = state.analytics;
    long base = state.sent;
    for (int i = 0; i < BURST; i++) {
      Clients.enqueue(analytics, base + i, ANONYMOUS_ID);
    }
    state.sent = base + BURST;
  }
}
