package dev.audiencekit.config;

/**
 * A configuration value that cannot be used. The message always names the parameter, the value given
 * (with any credential in it {@link Credentials#mask masked}) and what is accepted;
 * {@code AnalyticsFilter.init()} turns it into a {@code ServletException}. A secret's value is never
 * given to it.
 */
public final class InvalidSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidSettingException(String parameter, String value, String accepted) {
    super("init-param " + parameter + ": " + (value == null ? "no value" : "'" + Credentials.mask(value) + "'") + " "
        + accepted);
    this.parameter = parameter;
  }

  public InvalidSettingException(String parameter, String message) {
    super("init-param " + parameter + ": " + message);
    this.parameter = parameter;
  }

  /** The name of the offending init-param. */
  public String parameter() {
    return parameter;
  }
}
