package org.openfoundry.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * The leases this node holds, from claim until the completion is written: what counts against a
 * model's concurrency cap here, and what must be renewed while calls run long. Kept by lease, not
 * by task: a node whose own lease on a task lapsed while its call ran may hold the task again under
 * a new lease before the old call is over, and each must be renewed and removed on its own.
 */
final class InFlight {
  private final Map<Held, Call> calls = new ConcurrentHashMap<>();

  /** One lease on one task. */
  private record Held(TaskId id, String token) {
    static Held of(LeasedTask task) {
      return new Held(task.id(), task.lease().token());
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition emptied = lock.newCondition();

  void add(LeasedTask task) {
    calls.put(Held.of(task), new Call(task));
  }

  void runOn(LeasedTask task, Thread thread) {
    Call call = calls.get(Held.of(task));
    if (call != null) {
      call.thread = thread;
    }
  }

  void remove(LeasedTask task) {
    calls.remove(Held.of(task));
    if (calls.isEmpty()) {
      lock.lock();
      try {
        emptied.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  int count(ModelId model) {
    return (int) calls.values().stream().filter(call -> call.task.modelId().equals(model)).count();
  }

  Map<ModelId, Integer> counts() {
    return Map.copyOf(
        calls.values().stream()
            .collect(Collectors.toMap(call -> call.task.modelId(), call -> 1, Integer::sum)));
  }

  Set<RunId> runs() {
    return calls.values().stream().map(call -> call.task.runId()).collect(Collectors.toSet());
  }

  /** Leases held, of every model. */
  int size() {
    return calls.size();
  }

  boolean isEmpty() {
    return calls.isEmpty();
  }

  /** Leases still held that end at or before {@code threshold}. */
  List<LeasedTask> endingBy(Instant threshold) {
    return calls.values().stream()
        .filter(call -> !call.leaseLost && !call.expiresAt.isAfter(threshold))
        .map(call -> call.task)
        .toList();
  }

  /**
   * Records the new expiry of the renewed; the others lost their lease and are not renewed again.
   */
  void renewed(List<LeasedTask> asked, Set<TaskId> renewed, Instant newExpiry) {
    for (LeasedTask task : asked) {
      Call call = calls.get(Held.of(task));
      if (call == null) {
        continue;
      }
      if (renewed.contains(task.id())) {
        call.expiresAt = newExpiry;
      } else {
        call.leaseLost = true;
      }
    }
  }

  /** Interrupts every call still running: they give up their leases to expire. */
  void interruptAll() {
    calls
        .values()
        .forEach(
            call -> {
              Thread thread = call.thread;
              if (thread != null) {
                thread.interrupt();
              }
            });
  }

  /** Waits until nothing is in flight or the timeout passes; true when nothing is. */
  boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (!calls.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = emptied.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static final class Call {
    private final LeasedTask task;
    private volatile Instant expiresAt;
    private volatile boolean leaseLost;
    private volatile Thread thread;

    private Call(LeasedTask task) {
      this.task = task;
      this.expiresAt = task.lease().expiresAt();
    }
  }
}
