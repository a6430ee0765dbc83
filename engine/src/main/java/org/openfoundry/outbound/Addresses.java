package org.openfoundry.outbound;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Classifies raw IPv4 and IPv6 addresses, looking through the IPv6 forms that embed IPv4. */
final class Addresses {
  private record Block(Cidr cidr, AddressClass addressClass) {}

  // Order matters: the first block that contains an address names its class.
  private static final List<Block> IPV4 =
      List.of(
          block("169.254.169.254/32", AddressClass.CLOUD_METADATA),
          block("169.254.170.2/32", AddressClass.CLOUD_METADATA),
          block("100.100.100.200/32", AddressClass.CLOUD_METADATA),
          block("0.0.0.0/8", AddressClass.UNSPECIFIED),
          block("127.0.0.0/8", AddressClass.LOOPBACK),
          block("169.254.0.0/16", AddressClass.LINK_LOCAL),
          block("10.0.0.0/8", AddressClass.PRIVATE),
          block("172.16.0.0/12", AddressClass.PRIVATE),
          block("192.168.0.0/16", AddressClass.PRIVATE),
          block("100.64.0.0/10", AddressClass.CARRIER_GRADE_NAT),
          block("192.0.0.0/24", AddressClass.RESERVED),
          block("192.0.2.0/24", AddressClass.RESERVED),
          block("198.18.0.0/15", AddressClass.RESERVED),
          block("198.51.100.0/24", AddressClass.RESERVED),
          block("203.0.113.0/24", AddressClass.RESERVED),
          block("224.0.0.0/4", AddressClass.MULTICAST),
          block("240.0.0.0/4", AddressClass.RESERVED));

  private static final List<Block> IPV6 =
      List.of(
          block("::/128", AddressClass.UNSPECIFIED),
          block("::1/128", AddressClass.LOOPBACK),
          block("fd00:ec2::254/128", AddressClass.CLOUD_METADATA),
          block("64:ff9b:1::/48", AddressClass.PRIVATE),
          block("fe80::/10", AddressClass.LINK_LOCAL),
          block("fec0::/10", AddressClass.PRIVATE),
          block("fc00::/7", AddressClass.UNIQUE_LOCAL),
          block("ff00::/8", AddressClass.MULTICAST),
          block("100::/64", AddressClass.RESERVED),
          block("2001:db8::/32", AddressClass.RESERVED));

  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
  private static final Cidr TEREDO = Cidr.parse("2001::/32");
  private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");

  private Addresses() {}

  static AddressClass classify(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return classifyIpv4(address);
    }
    Optional<InetAddress> embedded = embeddedIpv4(address);
    if (embedded.isPresent()) {
      return classifyIpv4(embedded.get());
    }
    return IPV6.stream()
        .filter(block -> block.cidr().contains(address))
        .map(Block::addressClass)
        .findFirst()
        .orElse(AddressClass.PUBLIC);
  }

  /**
   * The IPv4 address an IPv6 address stands for, where it is one of the forms that route to it:
   * IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96), 6to4 (2002::/16) and Teredo (client part).
   */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != 16) {
      return Optional.empty();
    }
    if (isIpv4Mapped(bytes) || NAT64.contains(address)) {
      return Optional.of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
    }
    if (IPV4_COMPATIBLE.contains(address) && !isZeroOrOne(bytes)) {
      return Optional.of(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
    }
    if (SIX_TO_FOUR.contains(address)) {
      return Optional.of(ipv4(Arrays.copyOfRange(bytes, 2, 6)));
    }
    if (TEREDO.contains(address)) {
      byte[] client = Arrays.copyOfRange(bytes, 12, 16);
      for (int index = 0; index < client.length; index++) {
        client[index] = (byte) ~client[index];
      }
      return Optional.of(ipv4(client));
    }
    return Optional.empty();
  }

  static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    for (int index = 0; index < 10; index++) {
      if (bytes[index] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }

  private static AddressClass classifyIpv4(InetAddress address) {
    return IPV4.stream()
        .filter(block -> block.cidr().contains(address))
        .map(Block::addressClass)
        .findFirst()
        .orElse(AddressClass.PUBLIC);
  }

  private static boolean isZeroOrOne(byte[] bytes) {
    for (int index = 0; index < 15; index++) {
      if (bytes[index] != 0) {
        return false;
      }
    }
    return bytes[15] == 0 || bytes[15] == 1;
  }

  private static InetAddress ipv4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static Block block(String cidr, AddressClass addressClass) {
    return new Block(Cidr.parse(cidr), addressClass);
  }
}
