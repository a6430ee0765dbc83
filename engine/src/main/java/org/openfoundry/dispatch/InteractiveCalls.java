package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.openfoundry.models.ModelId;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * Each model's concurrency cap on this node, shared by the calls a person waits on (chat) and the
 * dispatcher's batch calls, with the interactive calls first. While an interactive call waits or
 * runs, the dispatcher starts that many fewer batch calls; when the cap is full, an interactive
 * call waits only for batch calls already running to end, and the slot one frees is its, never the
 * queue's. A batch run of any length therefore delays a chat call by at most one call.
 */
public final class InteractiveCalls {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private final Map<ModelId, Counts> counts = new HashMap<>();

  /** Calls of one model on this node: batch calls started, interactive ones waiting and running. */
  private static final class Counts {
    private int batch;
    private int waiting;
    private int running;

    private boolean isIdle() {
      return batch == 0 && waiting == 0 && running == 0;
    }
  }

  /**
   * Waits until the model has a free slot under {@code cap} and takes it; the slot is given back
   * when the returned permit is closed.
   *
   * @throws FoundryException {@code UNAVAILABLE} when no slot came free within {@code maxWait}
   */
  public Permit enter(ModelId model, int cap, Duration maxWait) throws InterruptedException {
    requireNonNull(model, "model is null");
    requireNonNull(maxWait, "maxWait is null");
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be >= 1, got " + cap);
    }
    lock.lock();
    try {
      Counts known = counts.computeIfAbsent(model, key -> new Counts());
      known.waiting++;
      try {
        long nanos = maxWait.toNanos();
        while (known.batch + known.running >= cap) {
          if (nanos <= 0) {
            throw new FoundryException(
                ErrorCode.UNAVAILABLE,
                "all "
                    + cap
                    + " of the model's concurrent calls stayed busy for "
                    + maxWait.toSeconds()
                    + " s; try again later");
          }
          nanos = freed.awaitNanos(nanos);
        }
        known.running++;
      } finally {
        known.waiting--;
        forgetIfIdle(model);
      }
      return new Permit(model);
    } finally {
      lock.unlock();
    }
  }

  /** Interactive calls of the model waiting for a slot or running on this node. */
  public int interactive(ModelId model) {
    lock.lock();
    try {
      Counts known = counts.get(model);
      return known == null ? 0 : known.waiting + known.running;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code wanted} slots for batch calls: what the cap leaves after the batch calls
   * started and every interactive call waiting or running. Each slot taken is given back with
   * {@link #endBatch}.
   */
  int startBatch(ModelId model, int cap, int wanted) {
    lock.lock();
    try {
      Counts known = counts.computeIfAbsent(model, key -> new Counts());
      int room = cap - known.batch - known.waiting - known.running;
      int granted = Math.max(0, Math.min(room, wanted));
      known.batch += granted;
      forgetIfIdle(model);
      return granted;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back slots of batch calls that ended or never started. */
  void endBatch(ModelId model, int count) {
    if (count <= 0) {
      return;
    }
    lock.lock();
    try {
      Counts known = counts.get(model);
      if (known == null || known.batch < count) {
        throw new IllegalStateException(
            "model " + model + " gives back more batch slots than it took");
      }
      known.batch -= count;
      forgetIfIdle(model);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void forgetIfIdle(ModelId model) {
    Counts known = counts.get(model);
    if (known != null && known.isIdle()) {
      counts.remove(model);
    }
  }

  private void leave(ModelId model) {
    lock.lock();
    try {
      Counts known = counts.get(model);
      if (known == null || known.running == 0) {
        throw new IllegalStateException("model " + model + " has no interactive call to end");
      }
      known.running--;
      forgetIfIdle(model);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** One interactive call's slot; closing it (once) frees the slot. */
  public final class Permit implements AutoCloseable {
    private final ModelId model;
    private boolean closed;

    private Permit(ModelId model) {
      this.model = model;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      leave(model);
    }
  }
}
