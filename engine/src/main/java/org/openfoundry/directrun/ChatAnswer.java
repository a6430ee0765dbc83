package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import org.openfoundry.adapters.TokenUsage;

/**
 * A model's answer: {@code rawResponse} is the response body exactly as the endpoint sent it (the
 * last one when the adapter polls), {@code latency} the time of the attempt that answered.
 */
public record ChatAnswer(
    ChatModel model,
    int status,
    String rawResponse,
    Optional<String> assistantText,
    Optional<TokenUsage> usage,
    Duration latency,
    int attempts,
    Duration elapsed)
    implements ChatOutcome {

  public ChatAnswer {
    requireNonNull(model, "model is null");
    requireNonNull(rawResponse, "rawResponse is null");
    requireNonNull(assistantText, "assistantText is null");
    requireNonNull(usage, "usage is null");
    requireNonNull(latency, "latency is null");
    requireNonNull(elapsed, "elapsed is null");
    if (attempts < 1) {
      throw new IllegalArgumentException("an answer takes at least one attempt, got " + attempts);
    }
  }
}
