package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterRequest;
import org.openfoundry.adapters.EndpointTransport;

/**
 * Keeps the first request and the last reply of an adapter call, whose body is the raw response as
 * it came. One instance serves one call on one thread.
 */
public final class RecordingTransport implements EndpointTransport {
  private final EndpointTransport transport;
  private Optional<AdapterRequest> first = Optional.empty();
  private Optional<AdapterReply> last = Optional.empty();

  public RecordingTransport(EndpointTransport transport) {
    this.transport = requireNonNull(transport, "transport is null");
  }

  @Override
  public AdapterReply exchange(AdapterRequest request) {
    if (first.isEmpty()) {
      first = Optional.of(request);
    }
    AdapterReply reply = transport.exchange(request);
    last = Optional.of(reply);
    return reply;
  }

  /** The first request the adapter sent, once it sent one. */
  public Optional<AdapterRequest> first() {
    return first;
  }

  /** The last reply that came, once one came. */
  public Optional<AdapterReply> last() {
    return last;
  }
}
