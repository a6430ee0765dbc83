package org.openfoundry.outbound;

import java.util.Locale;

/** What kind of network an address belongs to; everything but {@link #PUBLIC} is refused. */
public enum AddressClass {
  PUBLIC("public"),
  LOOPBACK("loopback"),
  LINK_LOCAL("link-local"),
  CLOUD_METADATA("cloud metadata"),
  PRIVATE("private"),
  CARRIER_GRADE_NAT("carrier-grade NAT"),
  UNIQUE_LOCAL("unique-local"),
  UNSPECIFIED("unspecified"),
  MULTICAST("multicast"),
  RESERVED("reserved");

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  /** The words used in messages: {@code a private address}. */
  public String description() {
    return description;
  }

  /** The lower-case name used in configuration and metrics. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
