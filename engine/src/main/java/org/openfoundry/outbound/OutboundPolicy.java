package org.openfoundry.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which resolved addresses a model endpoint may be called on: every public address, plus the
 * networks the configuration allows (for example {@code 127.0.0.0/8} for a model served on the same
 * machine). Loopback, link-local, cloud metadata, private, carrier-grade NAT, unique-local,
 * unspecified, multicast and reserved addresses are refused otherwise, including when an IPv6
 * address embeds one of them.
 */
public record OutboundPolicy(List<Cidr> allowedNetworks) {
  public OutboundPolicy {
    allowedNetworks = List.copyOf(requireNonNull(allowedNetworks, "allowedNetworks is null"));
  }

  /** Public addresses only. */
  public static OutboundPolicy publicOnly() {
    return new OutboundPolicy(List.of());
  }

  /** Parses each network with {@link Cidr#parse}. */
  public static OutboundPolicy allowing(List<String> networks) {
    return new OutboundPolicy(networks.stream().map(Cidr::parse).toList());
  }

  public static AddressClass classify(InetAddress address) {
    return Addresses.classify(requireNonNull(address, "address is null"));
  }

  /** Whether a connection to this address may be made. */
  public boolean permits(InetAddress address) {
    return classify(address) == AddressClass.PUBLIC || isAllowed(address);
  }

  /** Throws {@link OutboundBlockedException} naming the host when the address is refused. */
  public void check(String host, InetAddress address) {
    requireNonNull(host, "host is null");
    if (!permits(address)) {
      throw new OutboundBlockedException(host, address, classify(address));
    }
  }

  /**
   * The addresses of a resolved host that may be connected to, in their order. Throws {@link
   * OutboundBlockedException} for the first refused address when none is left, so a name that mixes
   * public and internal addresses is only ever reached on its public ones.
   */
  public List<InetAddress> permitted(String host, List<InetAddress> resolved) {
    requireNonNull(host, "host is null");
    List<InetAddress> kept = resolved.stream().filter(this::permits).toList();
    if (kept.isEmpty() && !resolved.isEmpty()) {
      InetAddress first = resolved.getFirst();
      throw new OutboundBlockedException(host, first, classify(first));
    }
    return kept;
  }

  private boolean isAllowed(InetAddress address) {
    Optional<InetAddress> embedded = Addresses.embeddedIpv4(address);
    return allowedNetworks.stream()
        .anyMatch(
            network -> network.contains(address) || embedded.map(network::contains).orElse(false));
  }
}
