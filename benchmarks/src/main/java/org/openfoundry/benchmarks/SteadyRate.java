package org.openfoundry.benchmarks;

import java.util.OptionalDouble;

/**
 * The rate of a run between 10 % and 90 % of its rows, from the counts of rows done polled while it
 * runs: the start and the tail, where a run ramps up and drains, are left out.
 */
final class SteadyRate {
  private final long rows;
  private long firstAt;
  private long firstDone;
  private long lastAt;
  private long lastDone;

  SteadyRate(long rows) {
    this.rows = rows;
  }

  /** Notes how many rows were done at the time of the call. */
  void seen(long done) {
    long now = System.nanoTime();
    if (firstAt == 0 && done >= rows / 10) {
      firstAt = now;
      firstDone = done;
    }
    if (done <= rows * 9 / 10) {
      lastAt = now;
      lastDone = done;
    }
  }

  /** Rows per second between the marks; empty when the polls did not straddle them. */
  OptionalDouble rate() {
    if (firstAt == 0 || lastAt <= firstAt) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((lastDone - firstDone) / ((lastAt - firstAt) / 1e9));
  }
}
