package dev.audiencekit.delivery;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code audiencekit-<name>-<role>[-n]}. */
final class DaemonThreads implements ThreadFactory {
  private final String prefix;
  private final boolean numbered;
  private final AtomicInteger count = new AtomicInteger();

  DaemonThreads(String name, String role, boolean numbered) {
    this.prefix = "audiencekit-" + name + "-" + role;
    this.numbered = numbered;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, numbered ? prefix + "-" + count.incrementAndGet() : prefix);
    thread.setDaemon(true);
    return thread;
  }
}
