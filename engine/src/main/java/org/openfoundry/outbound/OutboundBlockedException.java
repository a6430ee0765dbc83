package org.openfoundry.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** A model endpoint's host resolved to an address the outbound policy refuses. */
public final class OutboundBlockedException extends FoundryException {
  private final String host;
  private final InetAddress address;
  private final AddressClass addressClass;

  public OutboundBlockedException(String host, InetAddress address, AddressClass addressClass) {
    super(
        ErrorCode.OUTBOUND_BLOCKED,
        "model endpoint host \""
            + requireNonNull(host, "host is null")
            + "\" resolves to "
            + requireNonNull(address, "address is null").getHostAddress()
            + ", a "
            + requireNonNull(addressClass, "addressClass is null").description()
            + " address; calls to it are refused unless outbound.allowed_networks includes it");
    this.host = host;
    this.address = address;
    this.addressClass = addressClass;
  }

  public String host() {
    return host;
  }

  public InetAddress address() {
    return address;
  }

  public AddressClass addressClass() {
    return addressClass;
  }
}
