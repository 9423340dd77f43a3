package dev.audiencekit.privacy;

import dev.audiencekit.config.Cidr;
import dev.audiencekit.config.Keys;
import dev.audiencekit.config.Settings;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the device fingerprint: {@code HMAC-SHA-256} of the configured
 * {@code fingerprint.signals} under a key derived from {@code secret}, written as
 * base64url without padding (43 characters). Only this hash ever leaves the class; the raw IP and
 * headers are not stored or logged.
 *
 * <p>Signals, hashed in the configured order: {@code ip} (the client IP as resolved from the trusted
 * proxy chain by the caller, truncated to {@code fingerprint.ipv4Prefix} / {@code ipv6Prefix} bits;
 * an IPv4-mapped IPv6 address counts as IPv4), and the request headers {@code user-agent},
 * {@code accept-language}, {@code accept}, {@code accept-encoding}, {@code sec-ch-ua},
 * {@code sec-ch-ua-mobile}, {@code sec-ch-ua-platform} (several header lines are joined with
 * {@code ", "}; surrounding white space is trimmed; values are cut at 1024 characters). Each signal
 * is written length-prefixed, with an absent marker when it is missing, so no two different inputs
 * share an encoding.
 *
 * <p>The HMAC key is {@link Keys#derive derived} from the secret for the purpose {@value #PURPOSE}
 * ({@code HMAC(secret, "audiencekit fingerprint v1")}), so other uses of the secret yield unrelated
 * values. Without a secret (allowed only with {@code store=memory}) the keys are random per boot.
 *
 * <p>Thread-safe; each call clones a prototype {@link Mac} (no {@code ThreadLocal}, so nothing is
 * left on container threads after a redeploy).
 */
public final class Fingerprinter {
  static final int MAX_VALUE_LENGTH = 1024;
  private static final String ALGORITHM = "HmacSHA256";
  /** The purpose the HMAC key is derived for. */
  static final String PURPOSE = "fingerprint";
  private static final String IP = "ip";

  private final Mac prototype;
  private final List<String> signals;
  /** The US-ASCII bytes of each signal name, computed once. */
  private final byte[][] signalBytes;
  private final int ipv4Prefix;
  private final int ipv6Prefix;

  /**
   * A fingerprinter as configured: the keys of {@code secret} (random per boot when it is not set),
   * {@code fingerprint.signals}, {@code fingerprint.ipv4Prefix}, {@code fingerprint.ipv6Prefix}.
   */
  public Fingerprinter(Settings settings) {
    this(settings.keys(), settings.fingerprintSignals(), settings.fingerprintIpv4Prefix(),
        settings.fingerprintIpv6Prefix());
  }

  /**
   * @param keys       the key material, from which the HMAC key is derived (nothing of it is in any output)
   * @param signals    signal names as {@code fingerprint.signals} accepts them
   * @param ipv4Prefix bits of an IPv4 address kept, 0–32
   * @param ipv6Prefix bits of an IPv6 address kept, 0–128
   */
  public Fingerprinter(Keys keys, List<String> signals, int ipv4Prefix, int ipv6Prefix) {
    Objects.requireNonNull(keys, "keys");
    if (ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128) {
      throw new IllegalArgumentException("prefix out of range: " + ipv4Prefix + ", " + ipv6Prefix);
    }
    this.signals = signals.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    this.signalBytes = this.signals.stream().map(s -> s.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    this.ipv4Prefix = ipv4Prefix;
    this.ipv6Prefix = ipv6Prefix;
    try {
      byte[] key = keys.derive(PURPOSE);
      prototype = Mac.getInstance(ALGORITHM);
      prototype.init(new SecretKeySpec(key, ALGORITHM));
      prototype.clone(); // fail here, not per request, if the provider's Mac cannot be cloned
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /**
   * The fingerprint of {@code request}, or {@code null} when none of the configured signals is present
   * (no usable IP and no configured header).
   *
   * @param clientIp the client address already resolved through the trusted proxies (a literal), or
   *                 {@code null}; an unparsable value counts as absent
   */
  public String fingerprint(HttpServletRequest request, String clientIp) {
    // The MAC is fed exactly the bytes earlier versions built in a buffer first (per signal: the
    // length-prefixed name, then the length-prefixed value or -1), so fingerprints already in a
    // store stay valid; feeding it directly saves the buffer and its copies on every request.
    Mac mac = newMac();
    byte[] lengthBytes = new byte[4];
    boolean any = false;
    for (int k = 0; k < signals.size(); k++) {
      String signal = signals.get(k);
      byte[] value = signal.equals(IP) ? truncatedIp(clientIp) : header(request, signal);
      byte[] name = signalBytes[k];
      mac.update(intBytes(lengthBytes, name.length));
      mac.update(name);
      if (value == null) {
        mac.update(intBytes(lengthBytes, -1));
      } else {
        mac.update(intBytes(lengthBytes, value.length));
        mac.update(value);
        any = true;
      }
    }
    if (!any) {
      return null;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
  }

  private Mac newMac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e); // checked in the constructor
    }
  }

  /** {@code value} big-endian into {@code out} (as {@code ByteBuffer.putInt} writes it). */
  private static byte[] intBytes(byte[] out, int value) {
    out[0] = (byte) (value >>> 24);
    out[1] = (byte) (value >>> 16);
    out[2] = (byte) (value >>> 8);
    out[3] = (byte) value;
    return out;
  }

  /** The address with its host bits zeroed, as bytes (4 or 16), or {@code null}. */
  byte[] truncatedIp(String clientIp) {
    byte[] address = Cidr.parseLiteral(clientIp);
    if (address == null) {
      return null;
    }
    return Cidr.mask(address, address.length == 4 ? ipv4Prefix : ipv6Prefix);
  }

  private static byte[] header(HttpServletRequest request, String name) {
    Enumeration<String> values = request.getHeaders(name);
    if (values == null || !values.hasMoreElements()) {
      return null;
    }
    String first = values.nextElement();
    if (!values.hasMoreElements()) {
      // One header line, the usual case: no joining buffer.
      if (first == null || first.isBlank()) {
        return null;
      }
      String v = first.trim();
      return (v.length() > MAX_VALUE_LENGTH ? v.substring(0, MAX_VALUE_LENGTH) : v).getBytes(StandardCharsets.UTF_8);
    }
    StringBuilder joined = new StringBuilder();
    if (first != null && !first.isBlank()) {
      joined.append(first.trim());
    }
    if (joined.length() >= MAX_VALUE_LENGTH) {
      joined.setLength(MAX_VALUE_LENGTH);
      return joined.toString().getBytes(StandardCharsets.UTF_8);
    }
    while (values.hasMoreElements()) {
      String v = values.nextElement();
      if (v == null || v.isBlank()) {
        continue;
      }
      if (joined.length() > 0) {
        joined.append(", ");
      }
      joined.append(v.trim());
      if (joined.length() >= MAX_VALUE_LENGTH) {
        joined.setLength(MAX_VALUE_LENGTH);
        break;
      }
    }
    return joined.length() == 0 ? null : joined.toString().getBytes(StandardCharsets.UTF_8);
  }

}
