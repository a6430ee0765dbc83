package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalInt;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * A call that gave no answer: the error code and message of its last attempt (the secret masked),
 * the endpoint's last status if one came, and the attempts made.
 */
public record ChatFailure(
    ChatModel model,
    ErrorCode code,
    String message,
    OptionalInt status,
    int attempts,
    Duration elapsed)
    implements ChatOutcome {

  public ChatFailure {
    requireNonNull(model, "model is null");
    requireNonNull(code, "code is null");
    requireNonNull(message, "message is null");
    requireNonNull(status, "status is null");
    requireNonNull(elapsed, "elapsed is null");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
    }
  }

  /** The failure as the exception an API answer is made of. */
  public FoundryException toException() {
    return new FoundryException(code, message);
  }
}
