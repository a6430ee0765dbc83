package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the endpoint said in one attempt: the HTTP status, the error (when it did not succeed), the
 * start of the response body kept for failures, and how long the call took.
 */
public record AttemptDetail(
    OptionalInt httpStatus,
    Optional<TaskError> error,
    String responsePrefix,
    Optional<Duration> latency) {

  public AttemptDetail {
    requireNonNull(httpStatus, "httpStatus is null");
    requireNonNull(error, "error is null");
    requireNonNull(responsePrefix, "responsePrefix is null");
    requireNonNull(latency, "latency is null");
  }
}
