package io.hookcast.config;

import io.netty.util.NetUtil;

import java.util.Arrays;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, {@code 127.0.0.1}), IPv4 or IPv6.
 * Only literals: a host name would make trust depend on DNS answers an attacker may influence.
 *
 * @param network      the block's address bytes (4 or 16), host bits cleared
 * @param prefixLength how many leading bits must match
 */
public record AddressBlock(byte[] network, int prefixLength) {

  public AddressBlock {
    network = network.clone();
  }

  /** Parses {@code value}, naming {@code key} in the error when it is not an IP literal or CIDR block. */
  public static AddressBlock parse(String value, String key) {
    int slash = value.indexOf('/');
    String address = slash < 0 ? value : value.substring(0, slash);
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      throw ConfigException.at(key, "'" + value + "' is not an IP address or CIDR block (such as 10.0.0.0/8 or ::1)");
    }
    bytes = unmapped(bytes);
    int maxPrefix = bytes.length * 8;
    int prefix = maxPrefix;
    if (slash >= 0) {
      String digits = value.substring(slash + 1);
      if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
        || Integer.parseInt(digits) > maxPrefix) {
        throw ConfigException.at(key, "'" + value + "' has a prefix length outside 0.." + maxPrefix);
      }
      prefix = Integer.parseInt(digits);
    }
    return new AddressBlock(masked(bytes, prefix), prefix);
  }

  /** Whether the peer address {@code literal} (as Vert.x reports it) lies in this block; false for anything else. */
  public boolean contains(String literal) {
    byte[] bytes = literal == null ? null : NetUtil.createByteArrayFromIpAddressString(literal);
    if (bytes == null) {
      return false;
    }
    bytes = unmapped(bytes);
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefixLength), network);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddressBlock block && block.prefixLength == prefixLength && Arrays.equals(block.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return NetUtil.bytesToIpAddress(network) + "/" + prefixLength;
  }

  /** A dual-stack listener reports IPv4 peers as {@code ::ffff:a.b.c.d}; they must match IPv4 blocks. */
  private static byte[] unmapped(byte[] bytes) {
    if (bytes.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (bytes[i] != 0) {
          return bytes;
        }
      }
      if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
        return Arrays.copyOfRange(bytes, 12, 16);
      }
    }
    return bytes;
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] result = bytes.clone();
    for (int i = 0; i < result.length; i++) {
      int bitsKept = Math.max(0, Math.min(8, prefix - i * 8));
      result[i] &= (byte) (0xff << (8 - bitsKept));
    }
    return result;
  }
}
