package dev.audiencekit.consent;

import dev.audiencekit.event.ConsentJson;
import java.util.Map;
import java.util.Objects;

/**
 * What one request's consent allows, as {@link ConsentPolicy} decided it: an immutable value, pure
 * function of the source's answer, the request's {@code Sec-GPC} signal, the configuration and the
 * visitor's previous consent (its {@code ak_consent} mark).
 *
 * <ul>
 *   <li>{@link #isGranted()}: identity may be used (cookies, fingerprint, store) — true when nothing is
 *       required, or the required category is granted;</li>
 *   <li>{@link #isChanged()}: the preferences differ from the previous ones (the first decision, every
 *       change, a withdrawal): emit one {@code Segment Consent Preference Updated} event;</li>
 *   <li>{@link #isRevoked()}: the required category was granted before and is not any more: delete the
 *       identity;</li>
 *   <li>{@link #contextJson()}: the {@code context.consent} every event carries.</li>
 * </ul>
 */
public final class ConsentState {
  /** The state of every request under {@code consent=none}: nothing carried, nothing waits. */
  public static final ConsentState OFF = new ConsentState(null, Consent.UNDECIDED, false, null, false);

  private final ConsentPolicy policy;
  private final Consent consent;
  private final boolean gpc;
  private final String previousMark;
  private final boolean byApplication;
  private final boolean granted;
  private final String mark;
  private final String contextJson;

  ConsentState(ConsentPolicy policy, Consent consent, boolean gpc, String previousMark, boolean byApplication) {
    this.policy = policy;
    this.consent = consent;
    this.gpc = gpc;
    this.previousMark = previousMark;
    this.byApplication = byApplication;
    String required = policy == null ? null : policy.required();
    this.granted = required == null || consent.granted(required);
    if (policy == null) {
      this.mark = null;
      this.contextJson = null;
    } else {
      Map<String, Boolean> preferences = consent.categoryPreferences();
      this.mark = consent.isDecided() ? ConsentMark.of(granted, ConsentJson.categoryPreferences(preferences)) : null;
      this.contextJson = ConsentJson.context(preferences);
    }
  }

  ConsentPolicy policy() {
    return policy;
  }

  boolean gpc() {
    return gpc;
  }

  /** Whether consent is configured at all ({@code consent} is not {@code none}). */
  public boolean isEnabled() {
    return policy != null;
  }

  /** The visitor's consent as it applies to this request ({@code consent.gpcDenies} already applied). */
  public Consent consent() {
    return consent;
  }

  /** Category name → granted, as events and the snippet carry it; empty when undecided. */
  public Map<String, Boolean> categoryPreferences() {
    return consent.categoryPreferences();
  }

  /** Whether the visitor has decided (the source yielded at least one category). */
  public boolean isDecided() {
    return consent.isDecided();
  }

  /**
   * Whether identity may be used: no category is required, or the required one is granted. False means:
   * no identity cookie, no fingerprint, nothing stored, a per-request anonymousId, an untracked context.
   */
  public boolean isGranted() {
    return granted;
  }

  /**
   * Whether the visitor took back the required category: it was granted on the previous request and is
   * denied, absent or undecided now. The identity cookies, the backup cookie and the stored record go.
   */
  public boolean isRevoked() {
    return !granted && ConsentMark.granted(previousMark);
  }

  /** Whether the preferences differ from those of the visitor's previous request: one update event is due. */
  public boolean isChanged() {
    return isEnabled() && !Objects.equals(mark, previousMark);
  }

  /** Whether the application set this consent during the request rather than the source reading it. */
  public boolean isByApplication() {
    return byApplication;
  }

  /** The {@code ak_consent} value for this consent, or {@code null} when undecided (or not enabled). */
  public String mark() {
    return mark;
  }

  /** The {@code ak_consent} value the request came with (well-formed), or {@code null}. */
  public String previousMark() {
    return previousMark;
  }

  /**
   * The JSON text of {@code context.consent}, {@code {"categoryPreferences":{…}}} (an empty object when
   * undecided), or {@code null} under {@code consent=none}, when events carry no consent.
   */
  public String contextJson() {
    return contextJson;
  }

  @Override
  public String toString() {
    return isEnabled() ? "ConsentState{" + consent + (gpc ? ", gpc" : "") + ", granted=" + granted + ", changed="
        + isChanged() + ", revoked=" + isRevoked() + "}" : "ConsentState{off}";
  }
}
