package org.openfoundry.store;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskState;

/**
 * Returns tasks whose lease expired to the queue, inside a write transaction: the lost attempt is
 * appended to their history as LEASE_EXPIRED, and tasks of a run that has finished meanwhile are
 * cancelled instead.
 */
final class LeaseExpiry {
  /** How many expired leases one transaction takes back. */
  static final int BATCH = 500;

  private static final String LEASE_EXPIRED = "LEASE_EXPIRED";
  private static final String MESSAGE =
      "the worker holding the lease stopped answering before it expired";

  private final Handle handle;
  private final Dialect dialect;
  private final long now;

  LeaseExpiry(Handle handle, Dialect dialect, long now) {
    this.handle = handle;
    this.dialect = dialect;
    this.now = now;
  }

  /** Requeues up to {@link #BATCH} expired leases; returns how many. */
  int requeue() {
    Map<RunId, List<String>> expired =
        handle
            .createQuery(
                """
                SELECT id, run_id FROM tasks
                WHERE state = 'LEASED' AND lease_expires_at < :now
                ORDER BY lease_expires_at LIMIT :limit
                """)
            .bind("now", now)
            .bind("limit", BATCH)
            .map(
                (resultSet, context) ->
                    Map.entry(new RunId(resultSet.getString("run_id")), resultSet.getString("id")))
            .list()
            .stream()
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    () -> new TreeMap<>(Comparator.comparing(RunId::value)),
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    int total = 0;
    for (Map.Entry<RunId, List<String>> entry : expired.entrySet()) {
      total += requeue(entry.getKey(), entry.getValue());
    }
    return total;
  }

  private int requeue(RunId runId, List<String> taskIds) {
    Run run = RunRows.lock(handle, dialect, runId);
    String fence = "t.id IN (<ids>) AND t.state = 'LEASED' AND t.lease_expires_at < :now";
    // The tasks are locked, and the fence read again under the lock, before anything is written:
    // a renewal committed meanwhile keeps its task leased, and no attempt is recorded for it.
    List<String> expired =
        handle
            .createQuery(
                "SELECT t.id FROM tasks t WHERE " + fence + " ORDER BY t.id " + dialect.forUpdate())
            .bindList("ids", taskIds)
            .bind("now", now)
            .mapTo(String.class)
            .list();
    if (expired.isEmpty()) {
      return 0;
    }
    handle
        .createUpdate(
            """
            INSERT INTO task_attempts (task_id, attempt, lease_owner, result, error_code,
              error_message, response_prefix, started_at, finished_at)
            SELECT t.id, t.attempts, t.lease_owner, :result, :result, :message, '',
              COALESCE(t.leased_at, :now), :now
            FROM tasks t WHERE
            """
                + fence)
        .bindList("ids", expired)
        .bind("now", now)
        .bind("result", AttemptResult.LEASE_EXPIRED.name())
        .bind("message", MESSAGE)
        .execute();
    TaskState to = run.state().isFinished() ? TaskState.CANCELLED : TaskState.QUEUED;
    TaskState.LEASED.moveTo(to);
    int moved =
        handle
            .createUpdate(
                """
                UPDATE tasks SET state = :to, available_at = :now, error_code = :code,
                  error_message = :message,
                  finished_at = CASE WHEN :ended THEN :now ELSE NULL END,
                  lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
                WHERE
                """
                    + fence.replace("t.", ""))
            .bindList("ids", expired)
            .bind("to", to.name())
            .bind("now", now)
            .bind("code", LEASE_EXPIRED)
            .bind("message", MESSAGE)
            .bind("ended", to.isTerminal())
            .execute();
    CounterDelta.move(TaskState.LEASED, to, moved).apply(handle, runId);
    return moved;
  }
}
