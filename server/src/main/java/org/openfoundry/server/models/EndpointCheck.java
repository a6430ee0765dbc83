package org.openfoundry.server.models;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.openfoundry.outbound.OutboundBlockedException;
import org.openfoundry.outbound.OutboundPolicy;
import org.openfoundry.problems.Problem;

/**
 * Looks at a model's endpoint when it is registered, to warn its author early when the host does
 * not resolve or resolves only to refused addresses. It never refuses the model: the binding check
 * is made on the resolved address each time the endpoint is called.
 */
public final class EndpointCheck {
  /** Resolves a host name; the real one asks DNS, tests answer from a table. */
  @FunctionalInterface
  public interface HostResolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  private final OutboundPolicy policy;
  private final HostResolver resolver;

  public EndpointCheck(OutboundPolicy policy, HostResolver resolver) {
    this.policy = requireNonNull(policy, "policy is null");
    this.resolver = requireNonNull(resolver, "resolver is null");
  }

  public static HostResolver dns() {
    return host -> List.of(InetAddress.getAllByName(host));
  }

  /** A warning about the endpoint, when there is something to warn about. */
  public Optional<Problem> warning(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      return Optional.empty();
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      policy.permitted(bare, resolver.resolve(bare));
      return Optional.empty();
    } catch (UnknownHostException unresolved) {
      return Optional.of(
          Problem.warning(
              "inference_endpoint",
              "the host \"" + bare + "\" does not resolve now; calls will fail until it does"));
    } catch (OutboundBlockedException blocked) {
      return Optional.of(Problem.warning("inference_endpoint", blocked.getMessage()));
    }
  }
}
