package org.openfoundry.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.openfoundry.models.ModelId;

/**
 * Keeps the calls of a rate-limited model on this node at least one emission interval apart when
 * they actually start, in the order of their slots. A call whose thread woke late (a busy machine,
 * a collector pause) starts an interval after its predecessor instead of in a burst with the calls
 * that woke with it; the limiter's slots stay the schedule, this only stops threads from running
 * ahead of it together.
 */
final class StartPacer {
  private final Map<ModelId, CompletableFuture<Instant>> tails = new ConcurrentHashMap<>();

  /** The next call of the model, in slot order: the dispatch loop asks once per launched task. */
  Ticket next(ModelId model, Duration interval) {
    CompletableFuture<Instant> released = new CompletableFuture<>();
    CompletableFuture<Instant> previous = tails.put(model, released);
    return new Ticket(previous, released, interval);
  }

  /** One call's place in its model's line: when its predecessor was released, and its own. */
  static final class Ticket {
    private final CompletableFuture<Instant> previous;
    private final CompletableFuture<Instant> released;
    private final Duration interval;

    private Ticket(
        CompletableFuture<Instant> previous,
        CompletableFuture<Instant> released,
        Duration interval) {
      this.previous = previous;
      this.released = released;
      this.interval = interval;
    }

    /**
     * How much longer the call waits once it has reached its slot, {@code base} being the later of
     * now and the slot: until an interval after its predecessor was released.
     */
    Duration holdAfter(Instant base) throws InterruptedException {
      Instant release = base;
      if (previous != null) {
        Instant prior = await(previous);
        Instant earliest = prior.plus(interval);
        if (earliest.isAfter(release)) {
          release = earliest;
        }
      }
      released.complete(release);
      return Duration.between(base, release);
    }

    /** Lets the calls behind this one go on when this one never starts (shut down, failed). */
    void abandon(Instant at) {
      released.complete(at);
    }

    private static Instant await(CompletableFuture<Instant> future) throws InterruptedException {
      try {
        return future.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a pacing ticket cannot fail", e);
      }
    }
  }
}
