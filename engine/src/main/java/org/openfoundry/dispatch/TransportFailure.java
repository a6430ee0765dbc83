package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * An adapter's exchange that broke off before a whole reply came (no connection, a timeout, a
 * dropped connection, a body past the cap), carrying what the dispatcher records for the attempt.
 */
public final class TransportFailure extends FoundryException {
  private final transient EndpointExchange.Broken broken;

  public TransportFailure(EndpointExchange.Broken broken) {
    super(codeOf(broken.error()), broken.detail(), List.of());
    this.broken = requireNonNull(broken, "broken is null");
  }

  /** The exchange as it broke off: the error, any status and body prefix, and the latency. */
  public EndpointExchange.Broken broken() {
    return broken;
  }

  private static ErrorCode codeOf(EndpointError error) {
    return error == EndpointError.RESPONSE_TOO_LARGE
        ? ErrorCode.PAYLOAD_TOO_LARGE
        : ErrorCode.UNAVAILABLE;
  }
}
