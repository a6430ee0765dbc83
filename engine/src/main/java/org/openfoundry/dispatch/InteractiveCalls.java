package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final List<Runnable> batchRoomListeners = new CopyOnWriteArrayList<>();

  /**
   * Calls of one model on this node: batch calls started, interactive ones waiting and running, and
   * the caps they came with. Runs and chats pinned to different versions of a model may carry
   * different caps; each side keeps to the strictest cap the other has in use, so that neither a
   * smaller chat cap waits out a whole batch run nor a larger one adds calls above the batch cap.
   */
  private static final class Counts {
    private int batch;
    private int waiting;
    private int running;
    private int batchCap = Integer.MAX_VALUE;
    private final List<Integer> interactiveCaps = new ArrayList<>();

    private boolean isIdle() {
      return batch == 0 && waiting == 0 && running == 0;
    }

    /** The strictest of {@code cap} and the caps the interactive calls came with. */
    private int forBatch(int cap) {
      int strictest = cap;
      for (int interactiveCap : interactiveCaps) {
        strictest = Math.min(strictest, interactiveCap);
      }
      return strictest;
    }

    /** The strictest of {@code cap} and the cap the batch calls running came with. */
    private int forInteractive(int cap) {
      return batch > 0 ? Math.min(cap, batchCap) : cap;
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
    boolean entered = false;
    lock.lock();
    try {
      Counts known = counts.computeIfAbsent(model, key -> new Counts());
      known.waiting++;
      known.interactiveCaps.add(cap);
      try {
        long nanos = maxWait.toNanos();
        while (known.batch + known.running >= known.forInteractive(cap)) {
          if (nanos <= 0) {
            throw new FoundryException(
                ErrorCode.UNAVAILABLE,
                "all "
                    + known.forInteractive(cap)
                    + " of the model's concurrent calls stayed busy for "
                    + maxWait.toSeconds()
                    + " s; try again later");
          }
          nanos = freed.awaitNanos(nanos);
        }
        known.running++;
        entered = true;
      } finally {
        known.waiting--;
        if (!entered) {
          known.interactiveCaps.remove(Integer.valueOf(cap));
        }
        forgetIfIdle(model);
      }
      return new Permit(model, cap);
    } finally {
      lock.unlock();
      if (!entered) {
        // A call that stopped waiting leaves the batch calls the room it had held for itself.
        batchRoomFreed();
      }
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
      int room = known.forBatch(cap) - known.batch - known.waiting - known.running;
      int granted = Math.max(0, Math.min(room, wanted));
      if (granted > 0) {
        known.batchCap = known.batch == 0 ? cap : Math.min(known.batchCap, cap);
      }
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
      if (known.batch == 0) {
        known.batchCap = Integer.MAX_VALUE;
      }
      forgetIfIdle(model);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Calls {@code listener} whenever an interactive call ends or stops waiting, leaving batch calls
   * room they did not have: a dispatcher claims at once instead of at its next poll.
   */
  void onBatchRoomFreed(Runnable listener) {
    batchRoomListeners.add(requireNonNull(listener, "listener is null"));
  }

  void removeBatchRoomListener(Runnable listener) {
    batchRoomListeners.remove(listener);
  }

  private void batchRoomFreed() {
    for (Runnable listener : batchRoomListeners) {
      listener.run();
    }
  }

  private void forgetIfIdle(ModelId model) {
    Counts known = counts.get(model);
    if (known != null && known.isIdle()) {
      counts.remove(model);
    }
  }

  private void leave(ModelId model, int cap) {
    lock.lock();
    try {
      Counts known = counts.get(model);
      if (known == null || known.running == 0) {
        throw new IllegalStateException("model " + model + " has no interactive call to end");
      }
      known.running--;
      known.interactiveCaps.remove(Integer.valueOf(cap));
      forgetIfIdle(model);
      freed.signalAll();
    } finally {
      lock.unlock();
    }
    batchRoomFreed();
  }

  /** One interactive call's slot; closing it (once) frees the slot. */
  public final class Permit implements AutoCloseable {
    private final ModelId model;
    private final int cap;
    private boolean closed;

    private Permit(ModelId model, int cap) {
      this.model = model;
      this.cap = cap;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      leave(model, cap);
    }
  }
}
