package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.Lease;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.models.SecretValue;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;
import org.openfoundry.secrets.SealedSecret;
import org.openfoundry.secrets.SecretBox;

/**
 * The task queue on the store. Claims lease tasks in one short transaction (on PostgreSQL under a
 * per-model advisory lock, rows taken {@code FOR UPDATE SKIP LOCKED}); completions are written only
 * while the task is still leased under the same token, so a late answer from an expired lease is
 * dropped. Every write moves the run's counters in the same transaction.
 */
final class JdbiTaskQueue implements TaskQueue {
  /** The most characters of a raw response kept, whatever the dispatcher's own cap. */
  static final int DEFAULT_RAW_RESPONSE_LIMIT = 1 << 20;

  private static final int TEXT_LIMIT = 8192;
  private static final int REQUEUE_BATCH = 500;
  private static final int ROW_CHUNK = 500;
  private static final long CLAIM_LOCK_NAMESPACE = 0x4F46_0001L;
  private static final Duration COMPLETIONS_KEPT = Duration.ofMinutes(10);
  private static final String LEASE_EXPIRED = "LEASE_EXPIRED";

  private final Database database;
  private final SecretBox secrets;
  private final Clock clock;
  private final int rawResponseLimit;

  JdbiTaskQueue(Database database, SecretBox secrets, Clock clock, int rawResponseLimit) {
    this.database = requireNonNull(database, "database is null");
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.clock = requireNonNull(clock, "clock is null");
    if (rawResponseLimit < 1) {
      throw new IllegalArgumentException("rawResponseLimit must be >= 1, got " + rawResponseLimit);
    }
    this.rawResponseLimit = rawResponseLimit;
  }

  @Override
  public List<ModelDemand> demand(Instant now) {
    long at = now.toEpochMilli();
    return database.read(
        handle -> {
          Map<String, Long> queued =
              perModel(
                  handle,
                  """
                  SELECT r.model_id, SUM(c.queued) FROM runs r JOIN run_counters c ON c.run_id = r.id
                  WHERE r.state IN ('QUEUED', 'RUNNING') AND c.queued > 0
                  GROUP BY r.model_id
                  """,
                  at);
          Map<String, Long> waiting =
              perModel(
                  handle,
                  """
                  SELECT r.model_id, COUNT(*) FROM runs r JOIN tasks t ON t.run_id = r.id
                  WHERE r.state IN ('QUEUED', 'RUNNING')
                    AND t.state = 'QUEUED' AND t.attempts > 0 AND t.available_at > :now
                  GROUP BY r.model_id
                  """,
                  at);
          Map<String, Long> leased =
              perModel(
                  handle,
                  """
                  SELECT model_id, SUM(leased) FROM run_counters WHERE leased > 0
                  GROUP BY model_id
                  """,
                  at);
          return new TreeMap<>(queued)
              .entrySet().stream()
                  .map(
                      entry ->
                          new ModelDemand(
                              new ModelId(entry.getKey()),
                              entry.getValue() - waiting.getOrDefault(entry.getKey(), 0L),
                              leased.getOrDefault(entry.getKey(), 0L)))
                  .filter(demand -> demand.runnable() > 0)
                  .toList();
        });
  }

  @Override
  public List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
    requireNonNull(owner, "owner is null");
    if (max < 1 || concurrencyCap < 1) {
      return List.of();
    }
    Lease lease = new Lease(owner, Ids.leaseToken(), now.plus(leaseFor));
    return database.write(handle -> new Claim(handle, model, lease, now).take(max, concurrencyCap));
  }

  @Override
  public Set<TaskId> complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return Set.of();
    }
    // One completion per task (the first), in task id order so that concurrent batches lock
    // rows in the same order.
    Map<String, Completion> byTask = new TreeMap<>();
    completions.forEach(
        completion -> byTask.putIfAbsent(completion.task().id().value(), completion));
    List<Completion> ordered = List.copyOf(byTask.values());
    return database.write(handle -> applyCompletions(handle, ordered));
  }

  @Override
  public int requeueExpired(Instant now) {
    int total = 0;
    while (true) {
      int requeued = database.write(handle -> requeueBatch(handle, now.toEpochMilli()));
      total += requeued;
      if (requeued < REQUEUE_BATCH) {
        return total;
      }
    }
  }

  @Override
  public Set<TaskId> renew(List<LeasedTask> tasks, Instant newExpiry) {
    if (tasks.isEmpty()) {
      return Set.of();
    }
    return database.write(
        handle -> {
          PreparedBatch batch =
              handle.prepareBatch(
                  """
                  UPDATE tasks SET lease_expires_at = :expiry
                  WHERE id = :task AND state = 'LEASED' AND lease_token = :token
                    AND lease_owner = :owner
                  """);
          for (LeasedTask task : tasks) {
            batch
                .bind("expiry", newExpiry.toEpochMilli())
                .bind("task", task.id().value())
                .bind("token", task.lease().token())
                .bind("owner", task.lease().owner())
                .add();
          }
          int[] counts = batch.execute();
          Set<TaskId> renewed = new LinkedHashSet<>();
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
              renewed.add(tasks.get(i).id());
            }
          }
          return renewed;
        });
  }

  @Override
  public RunDispatchContext context(RunId run) {
    record Row(
        String modelId,
        String versionId,
        String manifest,
        byte[] secret,
        String features,
        String mapping,
        String params) {}
    Row row =
        database.read(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT r.model_id, r.model_version_id, v.manifest, v.secret, r.features,
                               r.class_mapping, r.inference_params
                        FROM runs r JOIN model_versions v ON v.id = r.model_version_id
                        WHERE r.id = :run
                        """)
                    .bind("run", run.value())
                    .map(
                        (rs, context) ->
                            new Row(
                                rs.getString("model_id"),
                                rs.getString("model_version_id"),
                                rs.getString("manifest"),
                                rs.getBytes("secret"),
                                rs.getString("features"),
                                rs.getString("class_mapping"),
                                rs.getString("inference_params")))
                    .findOne()
                    .orElseThrow(() -> RunRows.notFound(run)));
    Optional<SecretValue> secret =
        Optional.ofNullable(row.secret())
            .map(bytes -> secrets.open(new SealedSecret(bytes), row.modelId()));
    return new RunDispatchContext(
        run,
        new ModelId(row.modelId()),
        new ModelVersionId(row.versionId()),
        Json.readObject(row.manifest(), "manifest of " + row.versionId()),
        secret,
        Json.readStrings(row.features(), "features of " + run),
        Json.readMap(row.mapping(), "class mapping of " + run),
        Json.readObject(row.params(), "inference params of " + run));
  }

  /** One claim, inside its write transaction. */
  private final class Claim {
    private final Handle handle;
    private final ModelId model;
    private final Lease lease;
    private final long now;

    Claim(Handle handle, ModelId model, Lease lease, Instant now) {
      this.handle = handle;
      this.model = model;
      this.lease = lease;
      this.now = now.toEpochMilli();
    }

    List<LeasedTask> take(int max, int concurrencyCap) {
      if (database.dialect() == Dialect.POSTGRESQL) {
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

    private List<RunId> candidateRuns() {
      return handle
          .createQuery(
              """
              SELECT r.id FROM runs r JOIN run_counters c ON c.run_id = r.id
              WHERE r.model_id = :model AND r.state IN ('QUEUED', 'RUNNING') AND c.queued > 0
              ORDER BY r.created_at, r.id
              """)
          .bind("model", model.value())
          .map((rs, context) -> new RunId(rs.getString("id")))
          .list();
    }

    private List<ClaimedTask> claimFrom(RunId id, long room) {
      Run run = RunRows.lock(handle, database.dialect(), id);
      if (run.state() != RunState.QUEUED && run.state() != RunState.RUNNING) {
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
                  RETURNING seq, id, data_row_id, attempts
                  """)
              .define("skipLocked", database.dialect().skipLocked())
              .bind("owner", lease.owner())
              .bind("token", lease.token())
              .bind("now", now)
              .bind("expires", lease.expiresAt().toEpochMilli())
              .bind("run", id.value())
              .bind("room", room)
              .map(
                  (rs, context) ->
                      new ClaimedTask(
                          rs.getLong("seq"),
                          new TaskId(rs.getString("id")),
                          rs.getString("data_row_id"),
                          rs.getInt("attempts")))
              .list();
      if (tasks.isEmpty()) {
        return tasks;
      }
      CounterDelta.move(TaskState.QUEUED, TaskState.LEASED, tasks.size()).apply(handle, id);
      if (run.state() == RunState.QUEUED) {
        RunLifecycle.moveRun(handle, run, RunState.RUNNING, now);
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
            .map((rs, context) -> DataRows.map(rs))
            .forEach(row -> rows.put(row.id().value(), row));
      }
      return tasks.stream()
          .map(
              task ->
                  new LeasedTask(
                      task.id(), run, model, rows.get(task.dataRowId()), task.attempt(), lease))
          .toList();
    }
  }

  /** A task row as a claim returned it. */
  private record ClaimedTask(long seq, TaskId id, String dataRowId, int attempt) {}

  private Set<TaskId> applyCompletions(Handle handle, List<Completion> completions) {
    long now = clock.millis();
    Map<RunId, Run> runs = new TreeMap<>(Comparator.comparing(RunId::value));
    Set<RunId> runIds = new TreeSet<>(Comparator.comparing(RunId::value));
    completions.forEach(completion -> runIds.add(completion.task().runId()));
    // Runs are locked first, in id order, as in every other write: no two writers deadlock.
    for (RunId run : runIds) {
      runs.put(run, RunRows.lock(handle, database.dialect(), run));
    }
    List<Completion> applied = appendAttempts(handle, completions);
    storeResults(handle, applied);
    moveTasks(handle, applied, runs);
    Map<RunId, CounterDelta> deltas = new TreeMap<>(Comparator.comparing(RunId::value));
    Map<RunId, Map<Long, Long>> ended = new TreeMap<>(Comparator.comparing(RunId::value));
    for (Completion completion : applied) {
      RunId run = completion.task().runId();
      TaskState to = target(completion.outcome(), runs.get(run).state());
      deltas.merge(run, CounterDelta.move(TaskState.LEASED, to, 1), CounterDelta::plus);
      if (to == TaskState.SUCCEEDED || to == TaskState.FAILED) {
        ended
            .computeIfAbsent(run, key -> new TreeMap<>())
            .merge(completion.finishedAt().getEpochSecond(), 1L, Long::sum);
      }
    }
    deltas.forEach((run, delta) -> delta.apply(handle, run));
    ended.forEach((run, perSecond) -> recordEnded(handle, run, perSecond, now));
    for (RunId run : deltas.keySet()) {
      RunLifecycle.settle(handle, database.dialect(), run, now);
    }
    return applied.stream()
        .map(completion -> completion.task().id())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Appends each fenced attempt; what it applied to is what the rest of the batch writes. */
  private List<Completion> appendAttempts(Handle handle, List<Completion> completions) {
    PreparedBatch batch =
        handle.prepareBatch(
            """
            INSERT INTO task_attempts (task_id, attempt, lease_owner, result, http_status,
              error_code, error_message, response_prefix, latency_ms, started_at, finished_at)
            SELECT t.id, t.attempts, t.lease_owner, :result, :status, :errorCode, :errorMessage,
              :prefix, :latency, COALESCE(t.leased_at, :finished), :finished
            FROM tasks t
            WHERE t.id = :task AND t.state = 'LEASED' AND t.lease_token = :token
            """);
    for (Completion completion : completions) {
      AttemptOutcome outcome = completion.outcome();
      Failure failure = Failure.of(outcome);
      batch
          .bind("result", result(outcome).name())
          .bind("status", outcome.httpStatus().isPresent() ? outcome.httpStatus().getAsInt() : null)
          .bind("errorCode", failure.code())
          .bind("errorMessage", failure.message())
          .bind("prefix", failure.bodyPrefix())
          .bind("latency", outcome.latency().toMillis())
          .bind("finished", completion.finishedAt().toEpochMilli())
          .bind("task", completion.task().id().value())
          .bind("token", completion.task().lease().token())
          .add();
    }
    int[] counts = batch.execute();
    List<Completion> applied = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        applied.add(completions.get(i));
      }
    }
    return applied;
  }

  private void storeResults(Handle handle, List<Completion> applied) {
    List<Completion> succeeded =
        applied.stream()
            .filter(completion -> completion.outcome() instanceof AttemptOutcome.Succeeded)
            .toList();
    if (succeeded.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            """
            INSERT INTO task_results (task_id, attempt, predictions, report, raw_response)
            SELECT t.id, t.attempts, :predictions, :report, :raw
            FROM tasks t
            WHERE t.id = :task AND t.state = 'LEASED' AND t.lease_token = :token
            """);
    for (Completion completion : succeeded) {
      AttemptOutcome.Succeeded outcome = (AttemptOutcome.Succeeded) completion.outcome();
      batch
          .bind("predictions", Json.write(outcome.predictions()))
          .bind("report", Json.write(outcome.report()))
          .bind("raw", cap(outcome.rawResponse(), rawResponseLimit))
          .bind("task", completion.task().id().value())
          .bind("token", completion.task().lease().token())
          .add();
    }
    batch.execute();
  }

  private void moveTasks(Handle handle, List<Completion> applied, Map<RunId, Run> runs) {
    if (applied.isEmpty()) {
      return;
    }
    PreparedBatch batch =
        handle.prepareBatch(
            """
            UPDATE tasks SET state = :state, available_at = :availableAt,
              last_status = :status, error_code = :errorCode, error_message = :errorMessage,
              latency_ms = :latency,
              finished_at = CASE WHEN :ended THEN :finished ELSE NULL END,
              lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL
            WHERE id = :task AND state = 'LEASED' AND lease_token = :token
            """);
    for (Completion completion : applied) {
      AttemptOutcome outcome = completion.outcome();
      TaskState to = target(outcome, runs.get(completion.task().runId()).state());
      TaskState.LEASED.moveTo(to);
      Failure failure = Failure.of(outcome);
      long availableAt =
          outcome instanceof AttemptOutcome.RetryLater retry
              ? retry.availableAt().toEpochMilli()
              : completion.finishedAt().toEpochMilli();
      batch
          .bind("state", to.name())
          .bind("availableAt", availableAt)
          .bind("status", outcome.httpStatus().isPresent() ? outcome.httpStatus().getAsInt() : null)
          .bind("errorCode", failure.code())
          .bind("errorMessage", failure.message())
          .bind("latency", outcome.latency().toMillis())
          .bind("ended", to.isTerminal())
          .bind("finished", completion.finishedAt().toEpochMilli())
          .bind("task", completion.task().id().value())
          .bind("token", completion.task().lease().token())
          .add();
    }
    batch.execute();
  }

  private static void recordEnded(Handle handle, RunId run, Map<Long, Long> perSecond, long now) {
    PreparedBatch batch =
        handle.prepareBatch(
            """
            INSERT INTO run_completions (run_id, epoch_second, ended) VALUES (:run, :second, :ended)
            ON CONFLICT (run_id, epoch_second)
            DO UPDATE SET ended = run_completions.ended + excluded.ended
            """);
    perSecond.forEach(
        (second, count) ->
            batch.bind("run", run.value()).bind("second", second).bind("ended", count).add());
    batch.execute();
    handle
        .createUpdate("DELETE FROM run_completions WHERE run_id = :run AND epoch_second < :cutoff")
        .bind("run", run.value())
        .bind("cutoff", (now - COMPLETIONS_KEPT.toMillis()) / 1000)
        .execute();
  }

  private int requeueBatch(Handle handle, long now) {
    Map<RunId, List<String>> expired =
        handle
            .createQuery(
                """
                SELECT id, run_id FROM tasks
                WHERE state = 'LEASED' AND lease_expires_at < :now
                ORDER BY lease_expires_at LIMIT :limit
                """)
            .bind("now", now)
            .bind("limit", REQUEUE_BATCH)
            .map((rs, context) -> Map.entry(new RunId(rs.getString("run_id")), rs.getString("id")))
            .list()
            .stream()
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    () -> new TreeMap<>(Comparator.comparing(RunId::value)),
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    int total = 0;
    for (Map.Entry<RunId, List<String>> entry : expired.entrySet()) {
      total += requeue(handle, entry.getKey(), entry.getValue(), now);
    }
    return total;
  }

  private int requeue(Handle handle, RunId runId, List<String> taskIds, long now) {
    Run run = RunRows.lock(handle, database.dialect(), runId);
    String fence = "t.id IN (<ids>) AND t.state = 'LEASED' AND t.lease_expires_at < :now";
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
        .bindList("ids", taskIds)
        .bind("now", now)
        .bind("result", AttemptResult.LEASE_EXPIRED.name())
        .bind("message", "the worker holding the lease stopped answering before it expired")
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
            .bindList("ids", taskIds)
            .bind("to", to.name())
            .bind("now", now)
            .bind("code", LEASE_EXPIRED)
            .bind("message", "the worker holding the lease stopped answering before it expired")
            .bind("ended", to.isTerminal())
            .execute();
    CounterDelta.move(TaskState.LEASED, to, moved).apply(handle, runId);
    return moved;
  }

  /** Where a task goes after an outcome: a retry in a run that has finished is cancelled. */
  private static TaskState target(AttemptOutcome outcome, RunState runState) {
    return switch (outcome) {
      case AttemptOutcome.Succeeded succeeded -> TaskState.SUCCEEDED;
      case AttemptOutcome.Failed failed -> TaskState.FAILED;
      case AttemptOutcome.RetryLater retry ->
          runState.isFinished() ? TaskState.CANCELLED : TaskState.QUEUED;
    };
  }

  private static AttemptResult result(AttemptOutcome outcome) {
    return switch (outcome) {
      case AttemptOutcome.Succeeded succeeded -> AttemptResult.SUCCEEDED;
      case AttemptOutcome.Failed failed -> AttemptResult.FAILED;
      case AttemptOutcome.RetryLater retry -> AttemptResult.RETRY;
    };
  }

  /** The error columns of an outcome; all empty for a success. */
  private record Failure(String code, String message, String bodyPrefix) {
    static Failure of(AttemptOutcome outcome) {
      return switch (outcome) {
        case AttemptOutcome.Succeeded succeeded -> new Failure(null, null, "");
        case AttemptOutcome.Failed failed ->
            new Failure(
                failed.errorCode(),
                cap(failed.message(), TEXT_LIMIT),
                cap(failed.bodyPrefix(), TEXT_LIMIT));
        case AttemptOutcome.RetryLater retry ->
            new Failure(
                retry.errorCode(),
                cap(retry.message(), TEXT_LIMIT),
                cap(retry.bodyPrefix(), TEXT_LIMIT));
      };
    }
  }

  private static String cap(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int end = limit;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  private static Map<String, Long> perModel(Handle handle, String sql, long now) {
    return handle
        .createQuery(sql)
        .bind("now", now)
        .map((rs, context) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
