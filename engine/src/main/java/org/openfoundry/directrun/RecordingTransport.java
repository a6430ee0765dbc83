package org.openfoundry.directrun;

import java.util.Optional;
import org.openfoundry.adapters.AdapterReply;
import org.openfoundry.adapters.AdapterRequest;
import org.openfoundry.adapters.EndpointTransport;

/** Keeps the last reply of an adapter call, whose body is the raw response as it came. */
final class RecordingTransport implements EndpointTransport {
  private final EndpointTransport transport;
  private Optional<AdapterReply> last = Optional.empty();

  RecordingTransport(EndpointTransport transport) {
    this.transport = transport;
  }

  @Override
  public AdapterReply exchange(AdapterRequest request) {
    AdapterReply reply = transport.exchange(request);
    last = Optional.of(reply);
    return reply;
  }

  Optional<AdapterReply> last() {
    return last;
  }
}
