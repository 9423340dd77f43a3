package dev.audiencekit.config;

import java.util.regex.Pattern;

/**
 * Masks the credentials a URL may carry before it is printed: the user information of
 * {@code scheme://user:password@host}, Oracle's {@code jdbc:oracle:thin:user/password@host}, and the value
 * of every parameter whose name says it is one ({@code password}, {@code sslpassword}, {@code pwd},
 * {@code secret}, {@code token}, {@code apiKey}, …) in {@code ?&}- or {@code ;}-separated parameters.
 * Masking errs on the side of hiding too much: it is for logs and error messages, never for connecting.
 */
public final class Credentials {
  private static final String MASK = "****";
  /** {@code //userinfo@}, up to the last {@code @} before the path's query, parameters or fragment. */
  private static final Pattern USER_INFO = Pattern.compile("//[^?#;\\s]*@");
  private static final Pattern ORACLE = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:)[^@]+@");
  /**
   * A credential parameter's value: from its {@code =} to the next separator followed by another
   * {@code name=}, or the end (so a {@code ;} or {@code &} inside a password does not end it).
   */
  private static final Pattern PARAMETER = Pattern.compile("(?is)((?:^|[?&;:,\\s])[a-z0-9_.\\-]*"
      + "(?:password|passwd|pwd|secret|token|api[_\\-]?key|credential|auth)[a-z0-9_.\\-]*\\s*=\\s*)"
      + "(.*?)(?=[&;,#][a-z0-9_.\\-]+\\s*=|#|$)");

  private Credentials() {}

  /** {@code text} with every credential it carries replaced by {@code ****}; {@code null} stays null. */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String out = ORACLE.matcher(text).replaceAll("$1" + MASK + "@");
    out = USER_INFO.matcher(out).replaceAll("//" + MASK + "@");
    return PARAMETER.matcher(out).replaceAll("$1" + MASK);
  }
}
