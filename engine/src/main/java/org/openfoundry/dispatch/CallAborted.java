package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Why the client itself cut an exchange short; carries the error code the attempt records. */
final class CallAborted extends Exception {
  private final EndpointError error;

  private CallAborted(EndpointError error, String message) {
    super(message, null, false, false);
    this.error = requireNonNull(error, "error is null");
  }

  static CallAborted connectTimeout(Duration timeout) {
    return new CallAborted(
        EndpointError.ENDPOINT_CONNECT_TIMEOUT,
        "no connection to the endpoint within the connect timeout of " + Durations.format(timeout));
  }

  static CallAborted totalTimeout(Duration timeout) {
    return new CallAborted(
        EndpointError.ENDPOINT_TOTAL_TIMEOUT,
        "the exchange outlasted the total timeout of " + Durations.format(timeout));
  }

  static CallAborted tooLarge(long received, long limit) {
    return new CallAborted(
        EndpointError.RESPONSE_TOO_LARGE,
        "the response body passed the cap of "
            + limit
            + " bytes (at least "
            + received
            + " bytes); the read was aborted");
  }

  EndpointError error() {
    return error;
  }
}
