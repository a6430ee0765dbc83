package org.openfoundry.store;

import org.jdbi.v3.core.Handle;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskState;

/**
 * Moves runs and their tasks in bulk inside a caller's transaction, through the state machines,
 * keeping the counters in step.
 */
final class RunLifecycle {
  private RunLifecycle() {}

  /** Moves the run, stamping when it started and when it finished. */
  static void moveRun(Handle handle, Run run, RunState to, long now) {
    run.state().moveTo(to);
    handle
        .createUpdate(
            """
            UPDATE runs SET state = :to,
              started_at = CASE WHEN :running AND started_at IS NULL THEN :now ELSE started_at END,
              finished_at = CASE WHEN :finished THEN :now ELSE NULL END
            WHERE id = :id
            """)
        .bind("to", to.name())
        .bind("running", to == RunState.RUNNING)
        .bind("finished", to.isFinished())
        .bind("now", now)
        .bind("id", run.id().value())
        .execute();
  }

  /**
   * Moves every task of the run that is in {@code from} to {@code to} (QUEUED tasks become due now)
   * and returns how many moved.
   */
  static long moveTasks(Handle handle, RunId run, TaskState from, TaskState to, long now) {
    from.moveTo(to);
    int moved =
        handle
            .createUpdate(
                """
                UPDATE tasks SET state = :to,
                  available_at = CASE WHEN :queued THEN :now ELSE available_at END,
                  finished_at = CASE WHEN :ended THEN :now ELSE NULL END
                WHERE run_id = :run AND state = :from
                """)
            .bind("to", to.name())
            .bind("queued", to == TaskState.QUEUED)
            .bind("ended", to.isTerminal())
            .bind("now", now)
            .bind("run", run.value())
            .bind("from", from.name())
            .execute();
    CounterDelta.move(from, to, moved).apply(handle, run);
    return moved;
  }

  /**
   * After tasks of a RUNNING run moved: stops the run as FAILED once its failure budget is spent
   * (cancelling its queued tasks), or finishes it once no task is queued or leased.
   */
  static void settle(Handle handle, Dialect dialect, RunId id, long now) {
    Run run = RunRows.lock(handle, dialect, id);
    if (run.state() != RunState.RUNNING) {
      return;
    }
    TaskCounts counts = run.counts();
    boolean overBudget =
        run.settings().failureBudget().isPresent()
            && counts.total() > 0
            && (double) counts.failed() / counts.total()
                > run.settings().failureBudget().getAsDouble();
    if (overBudget) {
      moveTasks(handle, id, TaskState.QUEUED, TaskState.CANCELLED, now);
      moveRun(handle, run, RunState.FAILED, now);
      return;
    }
    if (counts.remaining() == 0) {
      moveRun(handle, run, finalState(counts), now);
    }
  }

  /** Every task answered: SUCCEEDED; none: FAILED; some: PARTIALLY_SUCCEEDED. */
  static RunState finalState(TaskCounts counts) {
    if (counts.succeeded() == counts.total()) {
      return RunState.SUCCEEDED;
    }
    if (counts.succeeded() == 0) {
      return RunState.FAILED;
    }
    return RunState.PARTIALLY_SUCCEEDED;
  }
}
