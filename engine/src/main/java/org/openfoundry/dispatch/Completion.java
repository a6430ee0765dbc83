package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The outcome of one attempt of a leased task, to be written under that lease. */
public record Completion(LeasedTask task, AttemptOutcome outcome, Instant finishedAt) {
  public Completion {
    requireNonNull(task, "task is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(finishedAt, "finishedAt is null");
  }
}
