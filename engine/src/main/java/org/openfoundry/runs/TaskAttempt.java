package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One attempt in a task's history, which is only ever appended to: who held the lease, when it
 * started and ended, and what it came to.
 */
public record TaskAttempt(
    int attempt,
    String leaseOwner,
    AttemptResult result,
    AttemptDetail detail,
    Instant startedAt,
    Instant finishedAt) {

  public TaskAttempt {
    requireNonNull(leaseOwner, "leaseOwner is null");
    requireNonNull(result, "result is null");
    requireNonNull(detail, "detail is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }
}
