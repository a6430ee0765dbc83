package org.openfoundry.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.dispatch.Lease;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;

/**
 * One claim, inside its write transaction: leases up to the room the model's concurrency cap
 * leaves, from its runs oldest first, and starts a QUEUED run when it leases its first tasks.
 */
final class TaskClaim {
  private static final long CLAIM_LOCK_NAMESPACE = 0x4F46_0001L;
  private static final int ROW_CHUNK = 500;

  private final Handle handle;
  private final Dialect dialect;
  private final ModelId model;
  private final Lease lease;
  private final long now;

  TaskClaim(Handle handle, Dialect dialect, ModelId model, Lease lease, Instant now) {
    this.handle = handle;
    this.dialect = dialect;
    this.model = model;
    this.lease = lease;
    this.now = now.toEpochMilli();
  }

  List<LeasedTask> take(int max, int concurrencyCap) {
    if (dialect == Dialect.POSTGRESQL) {
      // Serializes claims for this model across nodes, so that the leased count read below
      // stays true until this transaction commits and the cap can never be overshot.
      handle
          .createQuery("SELECT pg_advisory_xact_lock(:key)")
          .bind("key", (CLAIM_LOCK_NAMESPACE << 32) | (model.value().hashCode() & 0xFFFFFFFFL))
          .mapToMap()
          .one();
    }
    long leased =
        handle
            .createQuery(
                "SELECT COALESCE(SUM(leased), 0) FROM run_counters WHERE model_id = :model")
            .bind("model", model.value())
            .mapTo(Long.class)
            .one();
    long room = Math.min(max, concurrencyCap - leased);
    List<LeasedTask> claimed = new ArrayList<>();
    for (RunId run : candidateRuns()) {
      if (room <= 0) {
        break;
      }
      List<ClaimedTask> tasks = claimFrom(run, room);
      room -= tasks.size();
      claimed.addAll(withRows(run, tasks));
    }
    return claimed;
  }

  /**
   * The model's runs with queued tasks, oldest first, in id order: run ids are ULIDs, so that is
   * the order they were created in, and it is the order every other writer (completions, lease
   * expiry) locks runs in, which a claim that locked them by {@code created_at} could cross.
   */
  private List<RunId> candidateRuns() {
    return handle
        .createQuery(
            """
            SELECT r.id FROM runs r JOIN run_counters c ON c.run_id = r.id
            WHERE r.model_id = :model AND r.state IN ('QUEUED', 'RUNNING') AND c.queued > 0
            ORDER BY r.id
            """)
        .bind("model", model.value())
        .map((resultSet, context) -> new RunId(resultSet.getString("id")))
        .list();
  }

  private List<ClaimedTask> claimFrom(RunId id, long room) {
    RunState state = RunRows.lockState(handle, dialect, id);
    if (state != RunState.QUEUED && state != RunState.RUNNING) {
      return List.of();
    }
    List<ClaimedTask> tasks =
        handle
            .createQuery(
                """
                UPDATE tasks SET state = 'LEASED', attempts = attempts + 1,
                  lease_owner = :owner, lease_token = :token, leased_at = :now,
                  lease_expires_at = :expires
                WHERE id IN (
                  SELECT id FROM tasks
                  WHERE run_id = :run AND state = 'QUEUED' AND available_at <= :now
                  ORDER BY seq LIMIT :room <skipLocked>)
                RETURNING seq, id, data_row_id, attempts, retry_base
                """)
            .define("skipLocked", dialect.skipLocked())
            .bind("owner", lease.owner())
            .bind("token", lease.token())
            .bind("now", now)
            .bind("expires", lease.expiresAt().toEpochMilli())
            .bind("run", id.value())
            .bind("room", room)
            .map(
                (resultSet, context) ->
                    new ClaimedTask(
                        resultSet.getLong("seq"),
                        new TaskId(resultSet.getString("id")),
                        resultSet.getString("data_row_id"),
                        resultSet.getInt("attempts"),
                        resultSet.getInt("retry_base")))
            .list();
    if (tasks.isEmpty()) {
      return tasks;
    }
    CounterDelta.move(TaskState.QUEUED, TaskState.LEASED, tasks.size()).apply(handle, id);
    if (state == RunState.QUEUED) {
      RunLifecycle.moveRun(handle, id, state, RunState.RUNNING, now);
    }
    return tasks.stream().sorted(Comparator.comparingLong(ClaimedTask::seq)).toList();
  }

  private List<LeasedTask> withRows(RunId run, List<ClaimedTask> tasks) {
    Map<String, DataRow> rows = new HashMap<>();
    for (int from = 0; from < tasks.size(); from += ROW_CHUNK) {
      List<String> ids =
          tasks.subList(from, Math.min(tasks.size(), from + ROW_CHUNK)).stream()
              .map(ClaimedTask::dataRowId)
              .toList();
      handle
          .createQuery("SELECT " + DataRows.COLUMNS + " FROM data_rows d WHERE d.id IN (<ids>)")
          .bindList("ids", ids)
          .map((resultSet, context) -> DataRows.map(resultSet))
          .forEach(row -> rows.put(row.id().value(), row));
    }
    return tasks.stream()
        .map(
            task ->
                new LeasedTask(
                    task.id(),
                    run,
                    model,
                    rows.get(task.dataRowId()),
                    task.attempt(),
                    task.attemptsBeforeRetry(),
                    lease))
        .toList();
  }

  /** A task row as a claim returned it. */
  private record ClaimedTask(
      long seq, TaskId id, String dataRowId, int attempt, int attemptsBeforeRetry) {}
}
