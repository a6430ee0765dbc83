package org.openfoundry.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * The durable task queue the dispatcher works from. Implementations keep every method to one short
 * transaction; model calls happen outside them.
 */
public interface TaskQueue {

  /**
   * Models that have runnable tasks now, with their cluster-wide leased count and the RUNNING runs
   * those tasks belong to, oldest first.
   */
  List<ModelDemand> demand(Instant now);

  /**
   * Leases up to {@code max} runnable tasks of the model's RUNNING runs (oldest run first, then
   * task order) to {@code owner} until {@code now + leaseFor}, never letting the model's leased
   * count across all nodes exceed {@code concurrencyCap}. Each leased task's attempt is its
   * previous attempts plus one.
   */
  List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now);

  /**
   * Applies each completion whose task is still leased under its lease token, in one transaction
   * per batch: appends the attempt to the task's history, moves the task (SUCCEEDED, FAILED, or
   * QUEUED again at {@code availableAt} for a retry), stores predictions and the capped raw
   * response, updates the run's counts and finishes the run when its last task ends. Completions
   * whose lease is gone are ignored. Returns the ids of the tasks it applied.
   */
  Set<TaskId> complete(List<Completion> completions);

  /** Returns tasks whose lease expired before {@code now} to the queue; returns how many. */
  int requeueExpired(Instant now);

  /** Extends the leases this owner still holds on these tasks; returns those extended. */
  Set<TaskId> renew(List<LeasedTask> tasks, Instant newExpiry);

  /** The run's model, manifest, secret, features, mapping and parameters. */
  RunDispatchContext context(RunId run);
}
