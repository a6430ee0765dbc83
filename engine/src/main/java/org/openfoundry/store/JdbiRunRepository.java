package org.openfoundry.store;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.AttemptDetail;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunProgress;
import org.openfoundry.runs.RunRepository;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskAttempt;
import org.openfoundry.runs.TaskError;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;
import org.openfoundry.runs.TaskView;

/** Runs in the store: creation by INSERT ... SELECT, steering, progress, task lists, export. */
final class JdbiRunRepository implements RunRepository {
  /** How far back throughput looks. */
  static final Duration THROUGHPUT_WINDOW = Duration.ofMinutes(1);

  private static final int EXPORT_FETCH_SIZE = 500;

  private final Database database;
  private final Clock clock;

  JdbiRunRepository(Database database, Clock clock) {
    this.database = requireNonNull(database, "database is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Run create(RunSpec spec) {
    requireNonNull(spec, "spec is null");
    RunId id = Ids.run();
    long now = clock.millis();
    return database.write(
        handle -> new RunCreation(handle, database.dialect(), id, spec, now).create());
  }

  @Override
  public Optional<Run> get(RunId id) {
    return database.read(handle -> RunRows.find(handle, id));
  }

  @Override
  public Page<Run> list(PageRequest page) {
    Optional<String> before = Cursors.decode(page.cursor());
    List<Run> rows =
        database.read(
            handle ->
                handle
                    .createQuery(
                        RunRows.SELECT
                            + (before.isPresent() ? "WHERE r.id < :before " : "")
                            + "ORDER BY r.id DESC LIMIT :limit")
                    .bind("before", before.orElse(""))
                    .bind("limit", page.limit() + 1)
                    .map((resultSet, context) -> RunRows.map(resultSet))
                    .list());
    return Pages.of(rows, page, run -> Cursors.encode(run.id().value()));
  }

  @Override
  public Run cancel(RunId id) {
    return steer(
        id,
        (handle, run, now) -> {
          RunLifecycle.moveRun(handle, run, RunState.CANCELLED, now);
          RunLifecycle.moveTasks(handle, id, TaskState.QUEUED, TaskState.CANCELLED, now);
        });
  }

  @Override
  public Run pause(RunId id) {
    return steer(id, (handle, run, now) -> RunLifecycle.moveRun(handle, run, RunState.PAUSED, now));
  }

  @Override
  public Run resume(RunId id) {
    return steer(
        id,
        (handle, run, now) -> {
          if (run.state() != RunState.PAUSED) {
            throw new org.openfoundry.runs.IllegalTransitionException(
                "run", run.state().name(), RunState.RUNNING.name());
          }
          RunLifecycle.moveRun(handle, run, RunState.RUNNING, now);
          RunLifecycle.settle(handle, database.dialect(), id, now);
        });
  }

  @Override
  public Run retryFailed(RunId id) {
    return steer(
        id,
        (handle, run, now) -> {
          boolean finished = run.state().isFinished();
          if (finished) {
            run.state().moveTo(RunState.RUNNING);
          } else if (run.state() != RunState.RUNNING && run.state() != RunState.PAUSED) {
            throw new org.openfoundry.runs.IllegalTransitionException(
                "run", run.state().name(), RunState.RUNNING.name());
          }
          long requeued = requeueForRetry(handle, id, TaskState.FAILED, now);
          if (finished) {
            requeued += requeueForRetry(handle, id, TaskState.CANCELLED, now);
          }
          if (requeued == 0) {
            throw new FoundryException(
                ErrorCode.CONFLICT, "run " + id + " has no failed tasks to retry");
          }
          if (finished) {
            RunLifecycle.moveRun(handle, run, RunState.RUNNING, now);
          }
        });
  }

  /**
   * Queues a run's tasks in state {@code from} again, each with its max attempts anew: the attempts
   * made so far become its retry base, and its attempt numbers go on.
   */
  private static long requeueForRetry(Handle handle, RunId run, TaskState from, long now) {
    handle
        .createUpdate(
            "UPDATE tasks SET retry_base = attempts WHERE run_id = :run AND state = :from")
        .bind("run", run.value())
        .bind("from", from.name())
        .execute();
    return RunLifecycle.moveTasks(handle, run, from, TaskState.QUEUED, now);
  }

  @Override
  public RunProgress progress(RunId id) {
    Instant now = clock.instant();
    return database.read(
        handle -> {
          Run run = RunRows.find(handle, id).orElseThrow(() -> RunRows.notFound(id));
          long windowStart = now.minus(THROUGHPUT_WINDOW).getEpochSecond();
          long ended =
              handle
                  .createQuery(
                      """
                      SELECT COALESCE(SUM(ended), 0) FROM run_completions
                      WHERE run_id = :run AND epoch_second > :since
                      """)
                  .bind("run", id.value())
                  .bind("since", windowStart)
                  .mapTo(Long.class)
                  .one();
          return progress(run, ended, now);
        });
  }

  @Override
  public Page<TaskView> tasks(RunId id, Optional<TaskState> state, PageRequest page) {
    long after = Cursors.decodeSequence(page.cursor());
    List<TaskState> states = state.map(List::of).orElse(List.of(TaskState.values()));
    List<JdbiDatasetRepository.Sequenced<TaskView>> rows =
        database.read(
            handle -> {
              if (RunRows.find(handle, id).isEmpty()) {
                throw RunRows.notFound(id);
              }
              // One index range per state, merged: cheap for a million tasks, with or without
              // the state filter.
              List<JdbiDatasetRepository.Sequenced<TaskView>> merged = new ArrayList<>();
              for (TaskState each : states) {
                merged.addAll(tasksInState(handle, id, each, after, page.limit() + 1));
              }
              merged.sort(Comparator.comparingLong(JdbiDatasetRepository.Sequenced::sequence));
              return merged.subList(0, Math.min(merged.size(), page.limit() + 1));
            });
    return Pages.of(rows, page, row -> Cursors.encode(row.sequence()))
        .map(JdbiDatasetRepository.Sequenced::item);
  }

  @Override
  public List<TaskAttempt> attempts(TaskId task) {
    return database.read(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT attempt, lease_owner, result, http_status, error_code, error_message,
                           response_prefix, latency_ms, started_at, finished_at
                    FROM task_attempts WHERE task_id = :task ORDER BY attempt
                    """)
                .bind("task", task.value())
                .map((resultSet, context) -> attempt(resultSet))
                .list());
  }

  @Override
  public Stream<RunResult> results(RunId id) {
    if (get(id).isEmpty()) {
      throw RunRows.notFound(id);
    }
    return database.stream(
        handle ->
            handle
                .createQuery(
                    "SELECT t.id AS task_id, r.attempt, r.predictions, r.report, r.raw_response, "
                        + DataRows.COLUMNS
                        + """
                        FROM tasks t
                        JOIN task_results r ON r.task_id = t.id
                        JOIN data_rows d ON d.id = t.data_row_id
                        WHERE t.run_id = :run AND t.state = 'SUCCEEDED'
                        ORDER BY t.seq
                        """)
                .bind("run", id.value())
                .setFetchSize(EXPORT_FETCH_SIZE)
                .map((resultSet, context) -> result(resultSet))
                .stream());
  }

  private RunProgress progress(Run run, long ended, Instant now) {
    if (run.state().isFinished() || run.times().startedAt().isEmpty()) {
      return new RunProgress(run.id(), run.state(), run.counts(), run.times(), 0, Optional.empty());
    }
    Duration running = Duration.between(run.times().startedAt().get(), now);
    Duration window = running.compareTo(THROUGHPUT_WINDOW) < 0 ? running : THROUGHPUT_WINDOW;
    double seconds = Math.max(1, window.toMillis() / 1000.0);
    double throughput = ended / seconds;
    long remaining = run.counts().remaining();
    // A paused run makes no progress, so it has no time left to tell.
    Optional<Duration> eta =
        run.state() == RunState.RUNNING && throughput > 0 && remaining > 0
            ? Optional.of(Duration.ofMillis(Math.round(remaining / throughput * 1000)))
            : Optional.empty();
    return new RunProgress(run.id(), run.state(), run.counts(), run.times(), throughput, eta);
  }

  private static List<JdbiDatasetRepository.Sequenced<TaskView>> tasksInState(
      Handle handle, RunId id, TaskState state, long after, int limit) {
    return handle
        .createQuery(
            """
            SELECT seq, id, data_row_id, state, attempts, last_status, error_code,
                   error_message, latency_ms
            FROM tasks
            WHERE run_id = :run AND state = :state AND seq > :after
            ORDER BY seq LIMIT :limit
            """)
        .bind("run", id.value())
        .bind("state", state.name())
        .bind("after", after)
        .bind("limit", limit)
        .map(
            (resultSet, context) ->
                new JdbiDatasetRepository.Sequenced<>(resultSet.getLong("seq"), task(resultSet)))
        .list();
  }

  private Run steer(RunId id, Steering steering) {
    long now = clock.millis();
    return database.write(
        handle -> {
          Run run = RunRows.lock(handle, database.dialect(), id);
          steering.apply(handle, run, now);
          return RunRows.find(handle, id).orElseThrow();
        });
  }

  /** One steering action, inside the transaction that holds the run's row. */
  @FunctionalInterface
  private interface Steering {
    void apply(Handle handle, Run run, long now);
  }

  private static TaskView task(ResultSet resultSet) throws SQLException {
    return new TaskView(
        new TaskId(resultSet.getString("id")),
        new DataRowId(resultSet.getString("data_row_id")),
        TaskState.valueOf(resultSet.getString("state")),
        resultSet.getInt("attempts"),
        optionalInt(resultSet, "last_status"),
        error(resultSet),
        latency(resultSet));
  }

  private static TaskAttempt attempt(ResultSet resultSet) throws SQLException {
    return new TaskAttempt(
        resultSet.getInt("attempt"),
        resultSet.getString("lease_owner"),
        AttemptResult.valueOf(resultSet.getString("result")),
        new AttemptDetail(
            optionalInt(resultSet, "http_status"),
            error(resultSet),
            resultSet.getString("response_prefix"),
            latency(resultSet)),
        Instant.ofEpochMilli(resultSet.getLong("started_at")),
        Instant.ofEpochMilli(resultSet.getLong("finished_at")));
  }

  private static RunResult result(ResultSet resultSet) throws SQLException {
    String taskId = resultSet.getString("task_id");
    return new RunResult(
        new TaskId(taskId),
        DataRows.map(resultSet),
        resultSet.getInt("attempt"),
        Json.read(resultSet.getString("predictions"), "predictions of " + taskId),
        Json.read(resultSet.getString("report"), "report of " + taskId),
        resultSet.getString("raw_response"));
  }

  private static OptionalInt optionalInt(ResultSet resultSet, String column) throws SQLException {
    int value = resultSet.getInt(column);
    return resultSet.wasNull() ? OptionalInt.empty() : OptionalInt.of(value);
  }

  private static Optional<TaskError> error(ResultSet resultSet) throws SQLException {
    String code = resultSet.getString("error_code");
    if (code == null) {
      return Optional.empty();
    }
    String message = resultSet.getString("error_message");
    return Optional.of(new TaskError(code, message == null ? "" : message));
  }

  private static Optional<Duration> latency(ResultSet resultSet) throws SQLException {
    long millis = resultSet.getLong("latency_ms");
    return resultSet.wasNull() ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }
}
