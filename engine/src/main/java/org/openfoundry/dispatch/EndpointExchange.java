package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.models.SecretValue;

/** What one HTTP exchange with a model endpoint came to, before anything is made of the body. */
public sealed interface EndpointExchange {
  Duration latency();

  /**
   * The endpoint sent a whole response, whatever its status. {@code body} is the UTF-8 text of at
   * most the model's response size cap; {@code notUtf8At} is where its bytes first fail to be UTF-8
   * (an offset from 0), if they do, in which case {@code body} shows them as U+FFFD.
   */
  record Answered(
      int status,
      Optional<String> retryAfter,
      Optional<String> contentType,
      String body,
      OptionalInt notUtf8At,
      Duration latency)
      implements EndpointExchange {
    public Answered {
      requireNonNull(retryAfter, "retryAfter is null");
      requireNonNull(contentType, "contentType is null");
      requireNonNull(body, "body is null");
      requireNonNull(notUtf8At, "notUtf8At is null");
      requireNonNull(latency, "latency is null");
    }

    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  /**
   * The exchange broke off: no connection, a timeout, a dropped connection, or a body past the size
   * cap. {@code status} and {@code bodyPrefix} hold what had arrived by then.
   */
  record Broken(
      EndpointError error,
      OptionalInt status,
      Optional<String> retryAfter,
      String detail,
      String bodyPrefix,
      Duration latency)
      implements EndpointExchange {
    public Broken {
      requireNonNull(error, "error is null");
      requireNonNull(status, "status is null");
      requireNonNull(retryAfter, "retryAfter is null");
      requireNonNull(detail, "detail is null");
      requireNonNull(bodyPrefix, "bodyPrefix is null");
      requireNonNull(latency, "latency is null");
    }

    /**
     * This exchange as a failed attempt, with the secret masked. A status outside 2xx that had
     * arrived before the exchange broke off is what the endpoint answered, so it decides the code
     * (a 503 is retried, a 404 is not) whatever then became of its body.
     */
    public RetryPolicy.AttemptFailure toFailure(Optional<SecretValue> secret) {
      String masked = Redaction.redact(detail, secret);
      // A status read from something that turned out not to be HTTP says nothing.
      boolean answeredError =
          error != EndpointError.ENDPOINT_PROTOCOL_ERROR
              && status.isPresent()
              && (status.getAsInt() < 200 || status.getAsInt() > 299);
      return new RetryPolicy.AttemptFailure(
          answeredError ? EndpointError.forStatus(status.getAsInt()) : error.name(),
          status,
          answeredError
              ? "the endpoint answered HTTP "
                  + status.getAsInt()
                  + ", but its body was not read whole: "
                  + masked
              : masked,
          Redaction.redactCut(bodyPrefix, secret),
          latency,
          retryAfter);
    }
  }
}
