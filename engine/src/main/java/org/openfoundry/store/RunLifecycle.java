package org.openfoundry.store;

import java.util.OptionalDouble;
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
    moveRun(handle, run.id(), run.state(), to, now);
  }

  /** Moves the run from {@code from}, the state it was read in under its lock, to {@code to}. */
  static void moveRun(Handle handle, RunId id, RunState from, RunState to, long now) {
    from.moveTo(to);
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
        .bind("id", id.value())
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
    if (RunRows.lockState(handle, dialect, id) != RunState.RUNNING) {
      return;
    }
    Progress progress = progress(handle, id);
    TaskCounts counts = progress.counts();
    boolean overBudget =
        progress.failureBudget().isPresent()
            && counts.total() > 0
            && (double) counts.failed() / counts.total() > progress.failureBudget().getAsDouble();
    if (overBudget) {
      moveTasks(handle, id, TaskState.QUEUED, TaskState.CANCELLED, now);
      moveRun(handle, id, RunState.RUNNING, RunState.FAILED, now);
      return;
    }
    if (counts.remaining() == 0) {
      moveRun(handle, id, RunState.RUNNING, finalState(counts), now);
    }
  }

  /** A run's counters and failure budget: what settling it reads. */
  private record Progress(TaskCounts counts, OptionalDouble failureBudget) {}

  private static Progress progress(Handle handle, RunId id) {
    return handle
        .createQuery(
            """
            SELECT c.queued, c.leased, c.succeeded, c.failed, c.cancelled, r.failure_budget
            FROM runs r JOIN run_counters c ON c.run_id = r.id WHERE r.id = :id
            """)
        .bind("id", id.value())
        .map(
            (resultSet, context) -> {
              TaskCounts counts = RunRows.counts(resultSet);
              double budget = resultSet.getDouble("failure_budget");
              return new Progress(
                  counts, resultSet.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(budget));
            })
        .findOne()
        .orElseThrow(() -> RunRows.notFound(id));
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
