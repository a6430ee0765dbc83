package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * What one call to a model endpoint came to. A failed call is data, not an exception: the retry
 * policy decides between {@link RetryLater} and {@link Failed}.
 */
public sealed interface AttemptOutcome {
  Duration latency();

  OptionalInt httpStatus();

  /**
   * The endpoint answered and the response was post-processed. {@code rawResponse} is size-capped;
   * {@code predictions} and {@code report} are the parser's canonical JSON.
   */
  record Succeeded(
      int status, Duration latency, String rawResponse, JsonNode predictions, JsonNode report)
      implements AttemptOutcome {
    public Succeeded {
      requireNonNull(latency, "latency is null");
      requireNonNull(rawResponse, "rawResponse is null");
      requireNonNull(predictions, "predictions is null");
      requireNonNull(report, "report is null");
    }

    @Override
    public OptionalInt httpStatus() {
      return OptionalInt.of(status);
    }
  }

  /** Worth another attempt once {@code availableAt} has passed. */
  record RetryLater(
      String errorCode,
      OptionalInt httpStatus,
      String message,
      String bodyPrefix,
      Duration latency,
      Instant availableAt)
      implements AttemptOutcome {
    public RetryLater {
      requireNonNull(errorCode, "errorCode is null");
      requireNonNull(httpStatus, "httpStatus is null");
      requireNonNull(message, "message is null");
      requireNonNull(bodyPrefix, "bodyPrefix is null");
      requireNonNull(latency, "latency is null");
      requireNonNull(availableAt, "availableAt is null");
    }
  }

  /** Final: the task fails alone and the run goes on. */
  record Failed(
      String errorCode, OptionalInt httpStatus, String message, String bodyPrefix, Duration latency)
      implements AttemptOutcome {
    public Failed {
      requireNonNull(errorCode, "errorCode is null");
      requireNonNull(httpStatus, "httpStatus is null");
      requireNonNull(message, "message is null");
      requireNonNull(bodyPrefix, "bodyPrefix is null");
      requireNonNull(latency, "latency is null");
    }
  }
}
