package dev.audiencekit.demo;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** The logged-in customer, kept in the HTTP session. The demo has no passwords: an e-mail is an account. */
public final class Customer implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String ATTRIBUTE = "customer";

  private final String id;
  private final String email;
  private final String name;

  private Customer(String id, String email, String name) {
    this.id = id;
    this.email = email;
    this.name = name;
  }

  /** The customer with this e-mail; the id is stable for an e-mail, as a database id would be. */
  static Customer of(String email, String name) {
    String normalized = email.trim().toLowerCase(Locale.ROOT);
    return new Customer("cust-" + digest(normalized), normalized, name.trim());
  }

  public String getId() { return id; }
  public String getEmail() { return email; }
  public String getName() { return name; }

  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
