package org.openfoundry.runs;

/** How many of a run's tasks are in each state; {@code total} is their sum. */
public record TaskCounts(long queued, long leased, long succeeded, long failed, long cancelled) {
  public TaskCounts {
    if (queued < 0 || leased < 0 || succeeded < 0 || failed < 0 || cancelled < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, got queued "
              + queued
              + ", leased "
              + leased
              + ", succeeded "
              + succeeded
              + ", failed "
              + failed
              + ", cancelled "
              + cancelled);
    }
  }

  public static TaskCounts none() {
    return new TaskCounts(0, 0, 0, 0, 0);
  }

  public long total() {
    return queued + leased + succeeded + failed + cancelled;
  }

  /** Tasks that have not ended yet: queued or leased. */
  public long remaining() {
    return queued + leased;
  }

  /** Tasks that ended by being answered or given up: succeeded or failed. */
  public long done() {
    return succeeded + failed;
  }

  public long of(TaskState state) {
    return switch (state) {
      case QUEUED -> queued;
      case LEASED -> leased;
      case SUCCEEDED -> succeeded;
      case FAILED -> failed;
      case CANCELLED -> cancelled;
    };
  }
}
