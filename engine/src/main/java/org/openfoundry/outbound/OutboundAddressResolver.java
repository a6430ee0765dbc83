package org.openfoundry.outbound;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * A resolver for the HTTP client that calls model endpoints: it lets its delegate resolve the host,
 * then hands on only the addresses the {@link OutboundPolicy} permits, or fails the connection with
 * {@link OutboundBlockedException}. Because it runs on every connection, a host whose DNS answer
 * changes after registration is checked again.
 */
public final class OutboundAddressResolver implements SocketAddressResolver {
  private final SocketAddressResolver delegate;
  private final OutboundPolicy policy;

  public OutboundAddressResolver(SocketAddressResolver delegate, OutboundPolicy policy) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.policy = requireNonNull(policy, "policy is null");
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    delegate.resolve(
        host,
        port,
        context,
        Promise.from(resolved -> hand(host, resolved, promise), promise::failed));
  }

  private void hand(
      String host, List<InetSocketAddress> resolved, Promise<List<InetSocketAddress>> promise) {
    List<InetSocketAddress> kept;
    try {
      List<InetAddress> permitted =
          policy.permitted(host, resolved.stream().map(InetSocketAddress::getAddress).toList());
      kept = resolved.stream().filter(each -> permitted.contains(each.getAddress())).toList();
    } catch (OutboundBlockedException blocked) {
      promise.failed(blocked);
      return;
    }
    promise.succeeded(kept);
  }
}
