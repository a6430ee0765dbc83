package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterRequest;
import org.openfoundry.adapters.EndpointTransport;
import org.openfoundry.models.SecretValue;

/**
 * The adapters' transport on the process's endpoint client: redirects never followed, the model's
 * timeouts and response size cap on every exchange, and on every request of one task attempt the
 * task's idempotency key and attempt number. The model's secret goes only to its endpoint's own
 * origin, so that a URL found in a vendor's answer can never carry it elsewhere. An exchange that
 * breaks off is thrown as a {@link TransportFailure}. One instance serves one attempt (or one chat
 * call) on one thread.
 */
public final class EndpointClientTransport implements EndpointTransport {
  private final EndpointClient client;
  private final EndpointCall call;
  private final Optional<EndpointRequest.Credential> credential;
  private final Map<String, String> headers;
  private OptionalInt lastStatus = OptionalInt.empty();

  /**
   * A transport to the model of {@code call}; {@code headers} go on every request, after the
   * adapter's own.
   */
  public EndpointClientTransport(
      EndpointClient client,
      EndpointCall call,
      Optional<SecretValue> secret,
      Map<String, String> headers) {
    this.client = requireNonNull(client, "client is null");
    this.call = requireNonNull(call, "call is null");
    this.credential =
        requireNonNull(secret, "secret is null")
            .map(value -> new EndpointRequest.Credential(call.auth(), value));
    this.headers = Map.copyOf(headers);
  }

  /** The transport of one attempt of a task: its id is the idempotency key. */
  public static EndpointClientTransport forAttempt(
      EndpointClient client, EndpointCall call, Optional<SecretValue> secret, LeasedTask task) {
    return new EndpointClientTransport(
        client,
        call,
        secret,
        Map.of(
            EndpointRequest.IDEMPOTENCY_KEY,
            task.id().value(),
            EndpointRequest.ATTEMPT,
            Integer.toString(task.attempt())));
  }

  @Override
  public AdapterReply exchange(AdapterRequest request) {
    requireNonNull(request, "request is null");
    Map<String, String> sent = new LinkedHashMap<>();
    sent.put("Accept", "application/json");
    sent.putAll(request.headers());
    sent.putAll(headers);
    Optional<EndpointRequest.Credential> credentialSent =
        sameOrigin(request.uri(), call.endpoint()) ? credential : Optional.empty();
    Optional<EndpointExchange.Broken> unsendable = EndpointClient.unsendable(credentialSent);
    if (unsendable.isPresent()) {
      throw new TransportFailure(unsendable.get());
    }
    EndpointClient.Exchanged exchanged;
    try {
      exchanged =
          client.exchange(
              request.method().name(),
              request.uri(),
              sent,
              credentialSent,
              request.body().map(WireJson.MAPPER::writeValueAsString),
              call.timeouts(),
              call.maxResponseBytes());
    } catch (InterruptedException e) {
      // The port cannot throw it; the caller sees the flag and gives the attempt up.
      Thread.currentThread().interrupt();
      throw new TransportFailure(
          new EndpointExchange.Broken(
              EndpointError.DISPATCH_ERROR,
              OptionalInt.empty(),
              Optional.empty(),
              "interrupted while waiting for the endpoint",
              "",
              Duration.ZERO));
    }
    Response response = exchanged.result().getResponse();
    int status = response == null ? 0 : response.getStatus();
    if (!exchanged.result().isSucceeded() || status < 100 || status > 599) {
      EndpointExchange endpointExchange = exchanged.toEndpointExchange();
      if (endpointExchange instanceof EndpointExchange.Broken broken) {
        throw new TransportFailure(broken);
      }
      throw new TransportFailure(
          new EndpointExchange.Broken(
              EndpointError.ENDPOINT_PROTOCOL_ERROR,
              OptionalInt.of(status),
              Optional.empty(),
              "the endpoint answered with the status " + status + ", which is not HTTP",
              exchanged.collector().prefix(),
              exchanged.latency()));
    }
    lastStatus = OptionalInt.of(status);
    return new AdapterReply(status, headersOf(response), exchanged.collector().body());
  }

  /** The status of the last reply, when one came. */
  public OptionalInt lastStatus() {
    return lastStatus;
  }

  private static Map<String, List<String>> headersOf(Response response) {
    Map<String, List<String>> all = new LinkedHashMap<>();
    for (HttpField field : response.getHeaders()) {
      all.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
    }
    all.replaceAll((name, values) -> List.copyOf(values));
    return all;
  }

  static boolean sameOrigin(URI first, URI second) {
    return scheme(first).equals(scheme(second))
        && first.getHost() != null
        && first.getHost().equalsIgnoreCase(second.getHost())
        && port(first) == port(second);
  }

  private static String scheme(URI uri) {
    return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return scheme(uri).equals("https") ? 443 : 80;
  }
}
