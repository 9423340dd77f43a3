package dev.audiencekit;

import dev.audiencekit.collect.Visitor;

/**
 * The first-party collection endpoint's view of a request whose identity the filter resolved: the
 * context's ids, its {@code context.ip} and its way to delivery.
 */
final class CollectVisitor implements Visitor {
  private final Engine engine;
  private final AnalyticsContext context;

  CollectVisitor(Engine engine, AnalyticsContext context) {
    this.engine = engine;
    this.context = context;
  }

  @Override
  public boolean tracked() {
    return context.isTracked();
  }

  @Override
  public String anonymousId() {
    return context.anonymousId();
  }

  @Override
  public String userId() {
    return context.userId();
  }

  @Override
  public String ip() {
    return context.scope().requestContext().ip();
  }

  /** The request's {@code {"categoryPreferences":…}}, or null under {@code consent=none}. */
  @Override
  public String consentJson() {
    return context.scope().requestContext().consent();
  }

  @Override
  public void deliver(String eventJson) {
    engine.emit(context.isTracked(), eventJson);
  }
}
