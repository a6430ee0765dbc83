package org.openfoundry.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

class OutboundPolicyTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "8.8.8.8, PUBLIC",
    "1.1.1.1, PUBLIC",
    "172.15.255.255, PUBLIC",
    "172.32.0.1, PUBLIC",
    "100.63.255.255, PUBLIC",
    "100.128.0.1, PUBLIC",
    "169.253.255.255, PUBLIC",
    "223.255.255.255, PUBLIC",
    "0.0.0.0, UNSPECIFIED",
    "0.1.2.3, UNSPECIFIED",
    "127.0.0.1, LOOPBACK",
    "127.255.255.254, LOOPBACK",
    "169.254.169.254, CLOUD_METADATA",
    "169.254.170.2, CLOUD_METADATA",
    "100.100.100.200, CLOUD_METADATA",
    "169.254.0.1, LINK_LOCAL",
    "169.254.255.255, LINK_LOCAL",
    "10.0.0.1, PRIVATE",
    "10.255.255.255, PRIVATE",
    "172.16.0.1, PRIVATE",
    "172.31.255.255, PRIVATE",
    "192.168.1.1, PRIVATE",
    "100.64.0.1, CARRIER_GRADE_NAT",
    "100.127.255.255, CARRIER_GRADE_NAT",
    "192.0.2.10, RESERVED",
    "198.18.0.1, RESERVED",
    "203.0.113.7, RESERVED",
    "224.0.0.1, MULTICAST",
    "239.255.255.250, MULTICAST",
    "240.0.0.1, RESERVED",
    "255.255.255.255, RESERVED",
    "2606:4700:4700::1111, PUBLIC",
    "2001:4860:4860::8888, PUBLIC",
    "::, UNSPECIFIED",
    "::1, LOOPBACK",
    "fe80::1, LINK_LOCAL",
    "febf:ffff::1, LINK_LOCAL",
    "fc00::1, UNIQUE_LOCAL",
    "fdff:ffff::1, UNIQUE_LOCAL",
    "fd00:ec2::254, CLOUD_METADATA",
    "fec0::1, PRIVATE",
    "ff02::1, MULTICAST",
    "2001:db8::1, RESERVED",
    "::ffff:127.0.0.1, LOOPBACK",
    "::ffff:169.254.169.254, CLOUD_METADATA",
    "::ffff:10.1.2.3, PRIVATE",
    "::ffff:8.8.8.8, PUBLIC",
    "::127.0.0.1, LOOPBACK",
    "::10.0.0.1, PRIVATE",
    "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
    "64:ff9b::7f00:1, LOOPBACK",
    "64:ff9b::c0a8:101, PRIVATE",
    "64:ff9b::808:808, PUBLIC",
    "64:ff9b:1::a00:1, PRIVATE",
    "2002:a9fe:a9fe::1, CLOUD_METADATA",
    "2002:7f00:1::1, LOOPBACK",
    "2002:808:808::1, PUBLIC",
    "2001:0:4136:e378:8000:63bf:80ff:fffe, LOOPBACK",
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7, PUBLIC"
  })
  void classifies_each_address_by_the_network_it_belongs_to(String address, AddressClass expected)
      throws UnknownHostException {
    assertThat(OutboundPolicy.classify(InetAddress.getByName(address))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} refused by default")
  @CsvSource({
    "127.0.0.1",
    "169.254.169.254",
    "10.0.0.5",
    "172.20.1.1",
    "192.168.0.10",
    "100.64.1.1",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::abcd",
    "fd12:3456::1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:5",
    "ff05::2"
  })
  void refuses_every_non_public_address_when_nothing_is_allowed(String address)
      throws UnknownHostException {
    assertThat(OutboundPolicy.publicOnly().permits(InetAddress.getByName(address))).isFalse();
  }

  @Test
  void permits_public_addresses_whatever_is_allowed() throws UnknownHostException {
    assertThat(OutboundPolicy.publicOnly().permits(InetAddress.getByName("93.184.216.34")))
        .isTrue();
    assertThat(OutboundPolicy.publicOnly().permits(InetAddress.getByName("2606:4700::6810:85e5")))
        .isTrue();
  }

  @Test
  void an_allowed_network_lets_through_its_addresses_and_no_other() throws UnknownHostException {
    OutboundPolicy loopback = OutboundPolicy.allowing(List.of("127.0.0.0/8", "::1/128"));

    assertThat(loopback.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(loopback.permits(InetAddress.getByName("127.3.2.1"))).isTrue();
    assertThat(loopback.permits(InetAddress.getByName("::1"))).isTrue();
    assertThat(loopback.permits(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    assertThat(loopback.permits(InetAddress.getByName("64:ff9b::7f00:1"))).isTrue();
    assertThat(loopback.permits(InetAddress.getByName("169.254.169.254"))).isFalse();
    assertThat(loopback.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
  }

  @Test
  void a_private_subnet_can_be_allowed_without_allowing_its_neighbours()
      throws UnknownHostException {
    OutboundPolicy subnet = OutboundPolicy.allowing(List.of("10.20.0.0/16"));

    assertThat(subnet.permits(InetAddress.getByName("10.20.3.4"))).isTrue();
    assertThat(subnet.permits(InetAddress.getByName("10.21.0.1"))).isFalse();
  }

  @Test
  void a_refusal_names_the_host_the_address_and_its_class() throws UnknownHostException {
    InetAddress metadata = InetAddress.getByName("169.254.169.254");

    assertThatThrownBy(() -> OutboundPolicy.publicOnly().check("metadata.internal", metadata))
        .isInstanceOfSatisfying(
            OutboundBlockedException.class,
            blocked -> {
              assertThat(blocked.code()).isEqualTo(ErrorCode.OUTBOUND_BLOCKED);
              assertThat(blocked.addressClass()).isEqualTo(AddressClass.CLOUD_METADATA);
              assertThat(blocked.host()).isEqualTo("metadata.internal");
            })
        .hasMessageContaining("\"metadata.internal\"")
        .hasMessageContaining("169.254.169.254")
        .hasMessageContaining("cloud metadata address");
  }

  @Test
  void keeps_only_the_permitted_addresses_of_a_host_that_mixes_networks()
      throws UnknownHostException {
    InetAddress internal = InetAddress.getByName("10.0.0.7");
    InetAddress external = InetAddress.getByName("93.184.216.34");

    assertThat(OutboundPolicy.publicOnly().permitted("mixed.example", List.of(internal, external)))
        .containsExactly(external);
    assertThatThrownBy(
            () -> OutboundPolicy.publicOnly().permitted("inside.example", List.of(internal)))
        .isInstanceOf(OutboundBlockedException.class)
        .hasMessageContaining("10.0.0.7, a private address");
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @CsvSource({"example.com", "bad.cafe.dead.beef", "10.0.0.0/33", "::/129", "10.0.0.0/x", "''"})
  void rejects_a_network_that_is_not_a_literal_block(String text) {
    assertThatThrownBy(() -> Cidr.parse(text))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid -> assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining(text);
  }

  @Test
  void parses_blocks_to_their_network_and_prints_them_back() {
    assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    assertThat(Cidr.parse("fd00:1::5/16")).hasToString("fd00:0:0:0:0:0:0:0/16");
    assertThat(Cidr.parse("192.168.1.1")).hasToString("192.168.1.1/32");
    assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse("10.9.9.9/8"));
  }
}
