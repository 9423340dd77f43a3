package dev.audiencekit.consent;

import dev.audiencekit.config.Plugins;
import dev.audiencekit.config.Settings;
import dev.audiencekit.metrics.Metrics;
import dev.audiencekit.metrics.Outages;
import java.time.Clock;

/** Builds the {@link ConsentSource} named by the {@code consent} init-param. */
final class ConsentSources {
  /** How often a failing consent source is logged at most. */
  static final long LOG_INTERVAL_MS = 60_000;
  private static final System.Logger LOG = System.getLogger(ConsentSource.class.getName());

  private ConsentSources() {}

  /**
   * The configured source behind a guard, or {@code null} for {@code consent=none}.
   *
   * @throws dev.audiencekit.config.InvalidSettingException naming {@code consent} when a class cannot be used
   */
  static ConsentSource create(Settings settings, Metrics metrics, Clock clock) {
    ConsentSource source = switch (settings.consent()) {
      case NONE -> null;
      case ONETRUST -> new OneTrustSource(settings.consentCategories(), metrics.consentCookiesUnreadable);
      case COOKIE -> new JsonCookieSource(settings.consentName(), metrics.consentCookiesUnreadable);
      case CLASS -> Plugins.instantiate(Settings.CONSENT, settings.consentName(), ConsentSource.class, settings);
    };
    return source == null ? null : new GuardedSource(source, metrics, new Outages(LOG, clock, LOG_INTERVAL_MS));
  }
}
