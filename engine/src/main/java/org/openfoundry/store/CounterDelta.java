package org.openfoundry.store;

import org.jdbi.v3.core.Handle;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskState;

/**
 * Changes to a run's counts per task state, written in the transaction that moves the tasks so that
 * the counts always equal the tasks.
 */
record CounterDelta(long queued, long leased, long succeeded, long failed, long cancelled) {
  static final CounterDelta NONE = new CounterDelta(0, 0, 0, 0, 0);

  /** {@code count} tasks moved from one state to another. */
  static CounterDelta move(TaskState from, TaskState to, long count) {
    return NONE.plus(from, -count).plus(to, count);
  }

  CounterDelta plus(TaskState state, long count) {
    return switch (state) {
      case QUEUED -> new CounterDelta(queued + count, leased, succeeded, failed, cancelled);
      case LEASED -> new CounterDelta(queued, leased + count, succeeded, failed, cancelled);
      case SUCCEEDED -> new CounterDelta(queued, leased, succeeded + count, failed, cancelled);
      case FAILED -> new CounterDelta(queued, leased, succeeded, failed + count, cancelled);
      case CANCELLED -> new CounterDelta(queued, leased, succeeded, failed, cancelled + count);
    };
  }

  CounterDelta plus(CounterDelta other) {
    return new CounterDelta(
        queued + other.queued,
        leased + other.leased,
        succeeded + other.succeeded,
        failed + other.failed,
        cancelled + other.cancelled);
  }

  boolean isEmpty() {
    return equals(NONE);
  }

  void apply(Handle handle, RunId run) {
    if (isEmpty()) {
      return;
    }
    handle
        .createUpdate(
            """
            UPDATE run_counters
            SET queued = queued + :queued, leased = leased + :leased,
                succeeded = succeeded + :succeeded, failed = failed + :failed,
                cancelled = cancelled + :cancelled
            WHERE run_id = :run
            """)
        .bind("queued", queued)
        .bind("leased", leased)
        .bind("succeeded", succeeded)
        .bind("failed", failed)
        .bind("cancelled", cancelled)
        .bind("run", run.value())
        .execute();
  }
}
