/**
 * Outbound safety for calls to model endpoints: classifies the addresses a host name resolves to
 * (loopback, link-local and cloud metadata, private, carrier-grade NAT, unique-local, multicast,
 * unspecified, and the IPv6 forms that embed an IPv4 address) and refuses every one that is not
 * public unless the configuration allows its network. The check runs on the resolved address when
 * the connection is made, so a name that later resolves elsewhere cannot slip past it.
 */
package org.openfoundry.outbound;
