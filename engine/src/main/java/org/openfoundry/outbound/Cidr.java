package org.openfoundry.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * A block of addresses such as {@code 10.0.0.0/8} or {@code fc00::/7}. An IPv4 block also matches
 * the IPv4-mapped IPv6 form of its addresses ({@code ::ffff:10.1.2.3}), so one rule covers both.
 */
public record Cidr(byte[] network, int prefixLength) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public Cidr {
    requireNonNull(network, "network is null");
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("network must be 4 or 16 bytes, got " + network.length);
    }
    if (prefixLength < 0 || prefixLength > network.length * 8) {
      throw new IllegalArgumentException(
          "prefix length must be 0.." + network.length * 8 + ", got " + prefixLength);
    }
    network = mask(network.clone(), prefixLength);
  }

  /**
   * Parses {@code address/prefix}, or a bare address as a block of one. Only literal addresses are
   * accepted, so parsing never consults DNS.
   */
  public static Cidr parse(String text) {
    requireNonNull(text, "text is null");
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literal(address, text);
    if (slash < 0) {
      return new Cidr(bytes, bytes.length * 8);
    }
    String prefix = trimmed.substring(slash + 1);
    int length;
    try {
      length = Integer.parseInt(prefix);
    } catch (NumberFormatException notNumber) {
      throw invalid(text, "expected a prefix length after the slash, got \"" + prefix + "\"");
    }
    if (length < 0 || length > bytes.length * 8) {
      throw invalid(
          text, "expected a prefix length from 0 to " + bytes.length * 8 + ", got " + length);
    }
    return new Cidr(bytes, length);
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      if (network.length == 4 && candidate.length == 16 && Addresses.isIpv4Mapped(candidate)) {
        candidate = Arrays.copyOfRange(candidate, 12, 16);
      } else {
        return false;
      }
    }
    return Arrays.equals(mask(candidate, prefixLength), network);
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that
        && prefixLength == that.prefixLength
        && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static byte[] literal(String address, String text) {
    if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
      throw invalid(text, "expected an IPv4 or IPv6 address, got \"" + address + "\"");
    }
    try {
      // Only literals reach this call (checked above), so it parses and never resolves.
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException notAnAddress) {
      throw invalid(text, "expected an IPv4 or IPv6 address, got \"" + address + "\"");
    }
  }

  private static byte[] mask(byte[] bytes, int prefixLength) {
    byte[] masked = bytes.clone();
    for (int index = 0; index < masked.length; index++) {
      int bitsKept = Math.clamp(prefixLength - index * 8L, 0, 8);
      masked[index] = (byte) (masked[index] & (0xff << (8 - bitsKept)));
    }
    return masked;
  }

  private static FoundryException invalid(String text, String message) {
    return new FoundryException(
        ErrorCode.INVALID_INPUT,
        "invalid network \"" + text + "\": " + message,
        List.of(Problem.error("", message)));
  }
}
