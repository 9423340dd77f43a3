package dev.audiencekit.config;

import java.util.List;
import java.util.Objects;

/**
 * The proxies whose forwarding header is believed ({@code trustedProxies}) and which header family they
 * write ({@code remoteIpHeader}). Immutable.
 */
public final class TrustedProxies {
  private final List<Cidr> blocks;
  private final Settings.RemoteIpHeader header;

  public TrustedProxies(List<Cidr> blocks, Settings.RemoteIpHeader header) {
    this.blocks = List.copyOf(blocks);
    this.header = Objects.requireNonNull(header, "header");
  }

  /** The address blocks, in the order given. */
  public List<Cidr> blocks() {
    return blocks;
  }

  /** The one header family the proxies use; the other family is never read. */
  public Settings.RemoteIpHeader header() {
    return header;
  }

  /** True when {@code address} (4 or 16 bytes) lies in one of the blocks. */
  public boolean contains(byte[] address) {
    for (Cidr block : blocks) {
      if (block.contains(address)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return blocks + " by " + header;
  }
}
