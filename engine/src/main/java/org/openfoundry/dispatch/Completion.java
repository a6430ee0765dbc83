package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The outcome of one attempt of a leased task, to be written under that lease: when the attempt
 * really started (its rate slot had come and the pacer let it go) and when it ended.
 */
public record Completion(
    LeasedTask task, AttemptOutcome outcome, Instant startedAt, Instant finishedAt) {
  public Completion {
    requireNonNull(task, "task is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    if (startedAt.isAfter(finishedAt)) {
      throw new IllegalArgumentException(
          "startedAt " + startedAt + " is after finishedAt " + finishedAt);
    }
  }
}
