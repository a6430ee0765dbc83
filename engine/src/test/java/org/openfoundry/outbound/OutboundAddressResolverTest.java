package org.openfoundry.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutboundAddressResolverTest {

  /** Answers like a DNS server whose records can change between two lookups. */
  private static final class ChangingDns implements SocketAddressResolver {
    private final List<String> answers = new ArrayList<>();

    void answer(String... addresses) {
      answers.clear();
      answers.addAll(List.of(addresses));
    }

    @Override
    public void resolve(
        String host,
        int port,
        Map<String, Object> context,
        Promise<List<InetSocketAddress>> promise) {
      List<InetSocketAddress> resolved = new ArrayList<>();
      for (String answer : answers) {
        try {
          resolved.add(new InetSocketAddress(InetAddress.getByName(answer), port));
        } catch (UnknownHostException impossible) {
          promise.failed(impossible);
          return;
        }
      }
      promise.succeeded(resolved);
    }
  }

  private final ChangingDns dns = new ChangingDns();

  private CompletableFuture<List<InetSocketAddress>> resolve(OutboundPolicy policy, String host) {
    CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
    new OutboundAddressResolver(dns, policy).resolve(host, 443, Map.of(), Promise.from(result));
    return result;
  }

  @Test
  void hands_on_a_public_address_with_its_port() throws Exception {
    dns.answer("93.184.216.34");

    assertThat(resolve(OutboundPolicy.publicOnly(), "model.example").get())
        .containsExactly(new InetSocketAddress(InetAddress.getByName("93.184.216.34"), 443));
  }

  @ParameterizedTest(name = "a name resolving to {0} is refused as {1}")
  @CsvSource({
    "127.0.0.1, loopback",
    "10.1.2.3, private",
    "192.168.0.7, private",
    "169.254.10.20, link-local",
    "169.254.169.254, cloud metadata",
    "fd00:ec2::254, cloud metadata",
    "::ffff:169.254.169.254, cloud metadata",
    "::ffff:127.0.0.1, loopback",
    "64:ff9b::a9fe:a9fe, cloud metadata",
    "fe80::1, link-local",
    "fd12:3456::1, unique-local",
    "0.0.0.0, unspecified"
  })
  void refuses_a_name_whose_only_address_is_not_public(String address, String kind) {
    dns.answer(address);

    CompletableFuture<List<InetSocketAddress>> resolved =
        resolve(OutboundPolicy.publicOnly(), "inside.example");

    assertThat(resolved).isCompletedExceptionally();
    assertThat(failureOf(resolved))
        .isInstanceOf(OutboundBlockedException.class)
        .hasMessageContaining("\"inside.example\" resolves to")
        .hasMessageContaining(kind);
  }

  @Test
  void checks_again_at_each_connection_so_a_changed_dns_answer_is_refused() throws Exception {
    dns.answer("93.184.216.34");
    assertThat(resolve(OutboundPolicy.publicOnly(), "rebind.example").get()).hasSize(1);

    dns.answer("169.254.169.254");
    CompletableFuture<List<InetSocketAddress>> second =
        resolve(OutboundPolicy.publicOnly(), "rebind.example");

    assertThat(second).isCompletedExceptionally();
    assertThat(failureOf(second))
        .isInstanceOf(OutboundBlockedException.class)
        .hasMessageContaining("\"rebind.example\" resolves to 169.254.169.254");
  }

  @Test
  void drops_the_internal_addresses_of_a_name_that_also_has_public_ones() throws Exception {
    dns.answer("10.0.0.1", "93.184.216.34", "::1");

    assertThat(resolve(OutboundPolicy.publicOnly(), "mixed.example").get())
        .extracting(InetSocketAddress::getAddress)
        .containsExactly(InetAddress.getByName("93.184.216.34"));
  }

  @Test
  void lets_loopback_through_only_when_the_policy_allows_it() throws Exception {
    dns.answer("127.0.0.1");

    assertThat(resolve(OutboundPolicy.publicOnly(), "localhost")).isCompletedExceptionally();
    assertThat(resolve(OutboundPolicy.allowing(List.of("127.0.0.0/8")), "localhost").get())
        .hasSize(1);
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    try {
      future.get();
      throw new AssertionError("expected a failure");
    } catch (ExecutionException failed) {
      return failed.getCause();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new AssertionError(interrupted);
    }
  }
}
