package dev.audiencekit.consent;

import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Calls a {@link ConsentSource} so that it cannot break a request: an exception, an error of the
 * source's own making or a {@code null} answer becomes {@link Consent#UNDECIDED}, counted in
 * {@code consentSourceErrors} and logged at most once per interval.
 */
final class GuardedSource implements ConsentSource {
  private final ConsentSource delegate;
  private final Metrics metrics;
  private final Outages outages;

  GuardedSource(ConsentSource delegate, Metrics metrics, Outages outages) {
    this.delegate = delegate;
    this.metrics = metrics;
    this.outages = outages;
  }

  ConsentSource delegate() {
    return delegate;
  }

  @Override
  public Consent read(HttpServletRequest request) {
    Consent consent;
    try {
      consent = delegate.read(request);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      failed(e);
      return Consent.UNDECIDED;
    }
    if (consent == null) {
      failed(null);
      return Consent.UNDECIDED;
    }
    return consent;
  }

  private void failed(Throwable cause) {
    metrics.consentSourceErrors.increment();
    outages.warn("consent-source", "audiencekit: the consent source " + delegate.getClass().getName()
        + (cause == null ? " returned null" : " failed") + "; the request is treated as undecided", cause);
  }
}
