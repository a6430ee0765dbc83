package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;

/**
 * The task queue contract in memory, for tests: leases with tokens, the cluster-wide concurrency
 * cap on claims, completions fenced by the lease token, expired leases returned to the queue, and
 * retries due at their {@code availableAt}. Every run added is RUNNING.
 */
public final class InMemoryTaskQueue implements TaskQueue {
  private final Map<RunId, RunDispatchContext> runs = new LinkedHashMap<>();
  private final Map<TaskId, Task> tasks = new LinkedHashMap<>();
  private final List<Completion> ignored = new ArrayList<>();
  private final AtomicInteger contextReads = new AtomicInteger();
  private final AtomicInteger completeCalls = new AtomicInteger();
  private int nextTask = 1;

  /** A task as the queue keeps it. */
  public static final class Task {
    private final TaskId id;
    private final RunId runId;
    private final ModelId modelId;
    private final DataRow row;
    private TaskState state = TaskState.QUEUED;
    private int attempts;
    private Instant availableAt = Instant.MIN;
    private Lease lease;
    private final List<AttemptOutcome> history = new ArrayList<>();

    private Task(TaskId id, RunId runId, ModelId modelId, DataRow row) {
      this.id = id;
      this.runId = runId;
      this.modelId = modelId;
      this.row = row;
    }
  }

  public synchronized void addRun(RunDispatchContext context) {
    runs.put(context.runId(), context);
  }

  public synchronized TaskId addTask(RunId run, DataRow row) {
    RunDispatchContext context = requireNonNull(runs.get(run), "no such run " + run);
    TaskId id = new TaskId(String.format("tsk_%06d", nextTask++));
    tasks.put(id, new Task(id, run, context.modelId(), row));
    return id;
  }

  public synchronized TaskState state(TaskId id) {
    return task(id).state;
  }

  public synchronized int attempts(TaskId id) {
    return task(id).attempts;
  }

  public synchronized Optional<Lease> lease(TaskId id) {
    return Optional.ofNullable(task(id).lease);
  }

  public synchronized Instant availableAt(TaskId id) {
    return task(id).availableAt;
  }

  /** Every outcome applied to the task, oldest first. */
  public synchronized List<AttemptOutcome> history(TaskId id) {
    return List.copyOf(task(id).history);
  }

  public synchronized List<TaskId> taskIds() {
    return List.copyOf(tasks.keySet());
  }

  /** Completions that arrived after their lease was gone. */
  public synchronized List<Completion> ignored() {
    return List.copyOf(ignored);
  }

  public synchronized boolean allFinished() {
    return tasks.values().stream().allMatch(task -> task.state.isTerminal());
  }

  public int contextReads() {
    return contextReads.get();
  }

  public int completeCalls() {
    return completeCalls.get();
  }

  @Override
  public synchronized List<ModelDemand> demand(Instant now) {
    Map<ModelId, long[]> counts = new LinkedHashMap<>();
    Map<ModelId, Set<RunId>> runsWithWork = new LinkedHashMap<>();
    for (Task task : tasks.values()) {
      long[] count = counts.computeIfAbsent(task.modelId, model -> new long[2]);
      if (isRunnable(task, now)) {
        count[0]++;
        runsWithWork.computeIfAbsent(task.modelId, model -> new LinkedHashSet<>()).add(task.runId);
      } else if (task.state == TaskState.LEASED) {
        count[1]++;
      }
    }
    List<ModelDemand> demand = new ArrayList<>();
    counts.forEach(
        (model, count) -> {
          if (count[0] > 0) {
            demand.add(
                new ModelDemand(model, count[0], count[1], List.copyOf(runsWithWork.get(model))));
          }
        });
    return demand;
  }

  @Override
  public synchronized List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
    long leased =
        tasks.values().stream()
            .filter(task -> task.modelId.equals(model) && task.state == TaskState.LEASED)
            .count();
    long allowed = Math.min(max, concurrencyCap - leased);
    List<RunId> runOrder = List.copyOf(runs.keySet());
    List<Task> candidates =
        tasks.values().stream()
            .filter(task -> task.modelId.equals(model) && isRunnable(task, now))
            .sorted(Comparator.comparingInt(task -> runOrder.indexOf(task.runId)))
            .limit(Math.max(0, allowed))
            .toList();
    List<LeasedTask> claimed = new ArrayList<>();
    for (Task task : candidates) {
      task.state = task.state.moveTo(TaskState.LEASED);
      task.attempts++;
      task.lease = new Lease(owner, UUID.randomUUID().toString(), now.plus(leaseFor));
      claimed.add(
          new LeasedTask(
              task.id, task.runId, task.modelId, task.row, task.attempts, 0, task.lease));
    }
    return claimed;
  }

  @Override
  public synchronized Set<TaskId> complete(List<Completion> completions) {
    completeCalls.incrementAndGet();
    Set<TaskId> applied = new LinkedHashSet<>();
    for (Completion completion : completions) {
      Task task = tasks.get(completion.task().id());
      if (task == null
          || task.state != TaskState.LEASED
          || !task.lease.token().equals(completion.task().lease().token())) {
        ignored.add(completion);
        continue;
      }
      task.history.add(completion.outcome());
      task.lease = null;
      switch (completion.outcome()) {
        case AttemptOutcome.Succeeded succeeded ->
            task.state = task.state.moveTo(TaskState.SUCCEEDED);
        case AttemptOutcome.Failed failed -> task.state = task.state.moveTo(TaskState.FAILED);
        case AttemptOutcome.RetryLater retry -> {
          task.state = task.state.moveTo(TaskState.QUEUED);
          task.availableAt = retry.availableAt();
        }
      }
      applied.add(task.id);
    }
    return applied;
  }

  @Override
  public synchronized int requeueExpired(Instant now) {
    int requeued = 0;
    for (Task task : tasks.values()) {
      if (task.state == TaskState.LEASED && task.lease.expiresAt().isBefore(now)) {
        task.state = task.state.moveTo(TaskState.QUEUED);
        task.lease = null;
        task.availableAt = now;
        requeued++;
      }
    }
    return requeued;
  }

  @Override
  public synchronized Set<TaskId> renew(List<LeasedTask> leased, Instant newExpiry) {
    Set<TaskId> renewed = new LinkedHashSet<>();
    for (LeasedTask held : leased) {
      Task task = tasks.get(held.id());
      if (task != null
          && task.state == TaskState.LEASED
          && task.lease.token().equals(held.lease().token())
          && task.lease.owner().equals(held.lease().owner())) {
        task.lease = new Lease(task.lease.owner(), task.lease.token(), newExpiry);
        renewed.add(task.id);
      }
    }
    return renewed;
  }

  @Override
  public synchronized RunDispatchContext context(RunId run) {
    contextReads.incrementAndGet();
    return requireNonNull(runs.get(run), "no such run " + run);
  }

  private static boolean isRunnable(Task task, Instant now) {
    return task.state == TaskState.QUEUED && !task.availableAt.isAfter(now);
  }

  private Task task(TaskId id) {
    return requireNonNull(tasks.get(id), "no such task " + id);
  }
}
