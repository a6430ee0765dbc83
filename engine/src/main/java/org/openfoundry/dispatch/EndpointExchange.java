package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** What one HTTP exchange with a model endpoint came to, before anything is made of the body. */
public sealed interface EndpointExchange {
  Duration latency();

  /**
   * The endpoint sent a whole response, whatever its status. {@code body} is the UTF-8 text of at
   * most the model's response size cap.
   */
  record Answered(
      int status,
      Optional<String> retryAfter,
      Optional<String> contentType,
      String body,
      Duration latency)
      implements EndpointExchange {
    public Answered {
      requireNonNull(retryAfter, "retryAfter is null");
      requireNonNull(contentType, "contentType is null");
      requireNonNull(body, "body is null");
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
  }
}
