package org.openfoundry.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.runs.AttemptResult;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;

/**
 * Writes one batch of completions inside its write transaction, each only while its task is still
 * leased under the completion's token: the attempt is appended, the result stored, the task moved,
 * the counters and per-second completions kept, and each run settled.
 */
final class CompletionBatch {
  private static final int TEXT_LIMIT = 8192;
  private static final Duration COMPLETIONS_KEPT = Duration.ofMinutes(10);

  private final Handle handle;
  private final Dialect dialect;
  private final int rawResponseLimit;
  private final long now;

  CompletionBatch(Handle handle, Dialect dialect, int rawResponseLimit, long now) {
    this.handle = handle;
    this.dialect = dialect;
    this.rawResponseLimit = rawResponseLimit;
    this.now = now;
  }

  Set<TaskId> apply(List<Completion> completions) {
    Map<RunId, RunState> runs = new TreeMap<>(Comparator.comparing(RunId::value));
    Set<RunId> runIds = new TreeSet<>(Comparator.comparing(RunId::value));
    completions.forEach(completion -> runIds.add(completion.task().runId()));
    // Every writer locks a run before its tasks and counters, and several runs in id order (their
    // creation order), so writers queue on the run instead of deadlocking on its tasks.
    for (RunId run : runIds) {
      runs.put(run, RunRows.lockState(handle, dialect, run));
    }
    List<Completion> applied = appendAttempts(completions);
    storeResults(applied);
    moveTasks(applied, runs);
    Map<RunId, CounterDelta> deltas = new TreeMap<>(Comparator.comparing(RunId::value));
    Map<RunId, Map<Long, Long>> ended = new TreeMap<>(Comparator.comparing(RunId::value));
    for (Completion completion : applied) {
      RunId run = completion.task().runId();
      TaskState to = target(completion.outcome(), runs.get(run));
      deltas.merge(run, CounterDelta.move(TaskState.LEASED, to, 1), CounterDelta::plus);
      if (to == TaskState.SUCCEEDED || to == TaskState.FAILED) {
        ended
            .computeIfAbsent(run, key -> new TreeMap<>())
            .merge(completion.finishedAt().getEpochSecond(), 1L, Long::sum);
      }
    }
    deltas.forEach((run, delta) -> delta.apply(handle, run));
    ended.forEach((run, perSecond) -> recordEnded(run, perSecond));
    for (RunId run : deltas.keySet()) {
      RunLifecycle.settle(handle, dialect, run, now);
    }
    return applied.stream()
        .map(completion -> completion.task().id())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Appends each fenced attempt; what it applied to is what the rest of the batch writes. */
  private List<Completion> appendAttempts(List<Completion> completions) {
    PreparedBatch batch =
        handle.prepareBatch(
            """
            INSERT INTO task_attempts (task_id, attempt, lease_owner, result, http_status,
              error_code, error_message, response_prefix, latency_ms, started_at, finished_at)
            SELECT t.id, t.attempts, t.lease_owner, :result, :status, :errorCode, :errorMessage,
              :prefix, :latency, :started, :finished
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
          .bind("started", completion.startedAt().toEpochMilli())
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

  private void storeResults(List<Completion> applied) {
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
          .bind("raw", StoredText.of(cap(outcome.rawResponse(), rawResponseLimit)))
          .bind("task", completion.task().id().value())
          .bind("token", completion.task().lease().token())
          .add();
    }
    batch.execute();
  }

  private void moveTasks(List<Completion> applied, Map<RunId, RunState> runs) {
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
      TaskState to = target(outcome, runs.get(completion.task().runId()));
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

  private void recordEnded(RunId run, Map<Long, Long> perSecond) {
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
                StoredText.of(cap(failed.message(), TEXT_LIMIT)),
                StoredText.of(cap(failed.bodyPrefix(), TEXT_LIMIT)));
        case AttemptOutcome.RetryLater retry ->
            new Failure(
                retry.errorCode(),
                StoredText.of(cap(retry.message(), TEXT_LIMIT)),
                StoredText.of(cap(retry.bodyPrefix(), TEXT_LIMIT)));
      };
    }
  }

  static String cap(String text, int limit) {
    if (text.length() <= limit) {
      return text;
    }
    int end = limit;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
