package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** When a run was created, first had a task leased, and reached a finished state. */
public record RunTimes(
    Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt) {
  public RunTimes {
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
  }
}
