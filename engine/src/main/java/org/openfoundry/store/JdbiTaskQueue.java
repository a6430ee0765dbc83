package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.Lease;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.models.SecretValue;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
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
    return database.read(
        handle -> {
          Map<String, Long> waiting =
              counts(
                  handle,
                  """
                  SELECT t.run_id, COUNT(*) FROM runs r JOIN tasks t ON t.run_id = r.id
                  WHERE r.state IN ('QUEUED', 'RUNNING')
                    AND t.state = 'QUEUED' AND t.attempts > 0 AND t.available_at > :now
                  GROUP BY t.run_id
                  """,
                  now.toEpochMilli());
          Map<String, Long> leased =
              counts(
                  handle,
                  """
                  SELECT model_id, SUM(leased) FROM run_counters WHERE leased > 0
                  GROUP BY model_id
                  """,
                  now.toEpochMilli());
          Map<String, ModelDemand> demand = new TreeMap<>();
          handle
              .createQuery(
                  """
                  SELECT r.id, r.model_id, c.queued FROM runs r JOIN run_counters c ON c.run_id = r.id
                  WHERE r.state IN ('QUEUED', 'RUNNING') AND c.queued > 0
                  ORDER BY r.id
                  """)
              .map(
                  (resultSet, context) ->
                      new RunDemand(
                          resultSet.getString(1), resultSet.getString(2), resultSet.getLong(3)))
              .forEach(
                  run -> {
                    long runnable = run.queued() - waiting.getOrDefault(run.id(), 0L);
                    if (runnable > 0) {
                      demand.merge(
                          run.modelId(),
                          new ModelDemand(
                              new ModelId(run.modelId()),
                              runnable,
                              leased.getOrDefault(run.modelId(), 0L),
                              List.of(new RunId(run.id()))),
                          JdbiTaskQueue::plus);
                    }
                  });
          return List.copyOf(demand.values());
        });
  }

  /** A run with queued tasks, as demand reads it. */
  private record RunDemand(String id, String modelId, long queued) {}

  private static ModelDemand plus(ModelDemand first, ModelDemand second) {
    List<RunId> runs = new ArrayList<>(first.runs());
    runs.addAll(second.runs());
    return new ModelDemand(
        first.modelId(), first.runnable() + second.runnable(), first.leased(), runs);
  }

  @Override
  public List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
    requireNonNull(owner, "owner is null");
    if (max < 1 || concurrencyCap < 1) {
      return List.of();
    }
    Lease lease = new Lease(owner, Ids.leaseToken(), now.plus(leaseFor));
    return database.write(
        handle ->
            new TaskClaim(handle, database.dialect(), model, lease, now).take(max, concurrencyCap));
  }

  @Override
  public Set<TaskId> complete(List<Completion> completions) {
    if (completions.isEmpty()) {
      return Set.of();
    }
    // One completion per lease (the first), in task id order so that concurrent batches lock
    // rows in the same order. Two leases of one task may both have answered (the first lapsed
    // while its call ran): only the one still held is applied, by the fence on its token.
    Map<String, Completion> byTask = new TreeMap<>();
    completions.forEach(
        completion ->
            byTask.putIfAbsent(
                completion.task().id().value() + " " + completion.task().lease().token(),
                completion));
    List<Completion> ordered = List.copyOf(byTask.values());
    long now = clock.millis();
    return database.write(
        handle ->
            new CompletionBatch(handle, database.dialect(), rawResponseLimit, now).apply(ordered));
  }

  @Override
  public int requeueExpired(Instant now) {
    int total = 0;
    while (true) {
      int requeued =
          database.write(
              handle -> new LeaseExpiry(handle, database.dialect(), now.toEpochMilli()).requeue());
      total += requeued;
      if (requeued < LeaseExpiry.BATCH) {
        return total;
      }
    }
  }

  @Override
  public Set<TaskId> renew(List<LeasedTask> tasks, Instant newExpiry) {
    if (tasks.isEmpty()) {
      return Set.of();
    }
    // In task id order, as completions and lease expiry lock tasks, so that none deadlocks another.
    List<LeasedTask> ordered =
        tasks.stream().sorted(Comparator.comparing(task -> task.id().value())).toList();
    return database.write(
        handle -> {
          PreparedBatch batch =
              handle.prepareBatch(
                  """
                  UPDATE tasks SET lease_expires_at = :expiry
                  WHERE id = :task AND state = 'LEASED' AND lease_token = :token
                    AND lease_owner = :owner
                  """);
          for (LeasedTask task : ordered) {
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
              renewed.add(ordered.get(i).id());
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
                        (resultSet, context) ->
                            new Row(
                                resultSet.getString("model_id"),
                                resultSet.getString("model_version_id"),
                                resultSet.getString("manifest"),
                                resultSet.getBytes("secret"),
                                resultSet.getString("features"),
                                resultSet.getString("class_mapping"),
                                resultSet.getString("inference_params")))
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

  private static Map<String, Long> counts(Handle handle, String sql, long now) {
    return handle
        .createQuery(sql)
        .bind("now", now)
        .map((resultSet, context) -> Map.entry(resultSet.getString(1), resultSet.getLong(2)))
        .list()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }
}
