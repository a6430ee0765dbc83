package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a run stands: counts per task state, times, tasks ended per second over the last minute,
 * and the time left at that pace (empty while nothing has ended recently, or once finished).
 */
public record RunProgress(
    RunId runId,
    RunState state,
    TaskCounts counts,
    RunTimes times,
    double throughputPerSecond,
    Optional<Duration> eta) {

  public RunProgress {
    requireNonNull(runId, "runId is null");
    requireNonNull(state, "state is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(times, "times is null");
    requireNonNull(eta, "eta is null");
    if (!(throughputPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "throughputPerSecond must be >= 0, got " + throughputPerSecond);
    }
  }
}
