package org.openfoundry.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.openfoundry.models.ModelId;

/**
 * Keeps the calls of a rate-limited model on this node in the order of their slots and holds each
 * back while starting it would break one of three bounds:
 *
 * <ul>
 *   <li>at least one emission interval after its predecessor was released: a call whose thread woke
 *       late (a busy machine, a collector pause) starts an interval after its predecessor instead
 *       of in a burst with the calls that woke with it;
 *   <li>at least half an interval after the call before it really started: calls that all woke late
 *       catch up at twice the rate at most, never in a burst;
 *   <li>no more starts in any second than the rate allows in it (the rate rounded up, one at
 *       least), counted on the instants the calls really started: late threads cannot squeeze the
 *       starts of a second together, which leaves the one request of slack the rate's check grants
 *       to what happens between a start and its arrival at the endpoint.
 * </ul>
 *
 * The limiter's slots stay the schedule; this only stops threads from running ahead of it together.
 */
final class StartPacer {
  /** The window the second bound counts starts in. */
  static final Duration WINDOW = Duration.ofSeconds(1);

  /** The most starts a line remembers: faster rates are counted over a shorter window. */
  private static final int MOST_COUNTED = 4096;

  private final Map<ModelId, Line> lines = new ConcurrentHashMap<>();

  /** The next call of the model, in slot order: the dispatch loop asks once per launched task. */
  Ticket next(ModelId model, Duration interval) {
    CompletableFuture<Instant> released = new CompletableFuture<>();
    Ticket[] made = new Ticket[1];
    lines.compute(
        model,
        (key, current) -> {
          Line line =
              current == null || !current.interval.equals(interval) ? new Line(interval) : current;
          made[0] = new Ticket(line, line.tail, released, interval);
          line.tail = released;
          return line;
        });
    return made[0];
  }

  /**
   * How many starts a second may hold at the interval: what the rate allows in it, rounded up so
   * that a rate of 2.5 may keep its pace, and one at least.
   */
  static int allowedPerWindow(Duration interval) {
    double allowance = (double) WINDOW.toNanos() / interval.toNanos();
    return (int) Math.max(1, Math.ceil(allowance - 1e-6));
  }

  /** A model's line: its last ticket's release, and the instants its latest calls started. */
  private static final class Line {
    private final Duration interval;
    private final Duration window;
    private final long[] starts;
    private int recorded;
    private CompletableFuture<Instant> tail;

    private Line(Duration interval) {
      this.interval = interval;
      int allowed = allowedPerWindow(interval);
      // Faster rates are counted over a shorter window, which bounds the second as well.
      this.window = allowed <= MOST_COUNTED ? WINDOW : interval.multipliedBy(MOST_COUNTED);
      this.starts = new long[Math.min(allowed, MOST_COUNTED)];
    }

    /**
     * The earliest instant from {@code base} on at which a start is half an interval after the
     * latest start and shares no window with the start a full window's allowance before it.
     */
    private synchronized Instant windowOpensAt(Instant base) {
      if (recorded == 0) {
        return base;
      }
      long latest = starts[(recorded - 1) % starts.length];
      Instant opens = later(base, at(latest).plus(interval.dividedBy(2)));
      if (recorded < starts.length) {
        return opens;
      }
      return later(opens, at(starts[recorded % starts.length]).plus(window));
    }

    private static Instant at(long epochNanos) {
      return Instant.ofEpochSecond(0, epochNanos);
    }

    private synchronized void started(Instant at) {
      starts[recorded % starts.length] = at.getEpochSecond() * 1_000_000_000L + at.getNano();
      recorded++;
    }
  }

  private static Instant later(Instant first, Instant second) {
    return second.isAfter(first) ? second : first;
  }

  /** One call's place in its model's line: when its predecessor was released, and its own. */
  static final class Ticket {
    private final Line line;
    private final CompletableFuture<Instant> previous;
    private final CompletableFuture<Instant> released;
    private final Duration interval;
    private Instant release;

    private Ticket(
        Line line,
        CompletableFuture<Instant> previous,
        CompletableFuture<Instant> released,
        Duration interval) {
      this.line = line;
      this.previous = previous;
      this.released = released;
      this.interval = interval;
    }

    /**
     * When the call may start, {@code base} being the later of now and its slot: an interval after
     * its predecessor was released at the earliest, and no earlier than the other bounds allow.
     * Waits for the predecessor to start (or give up) first, so the caller measures what is left to
     * wait from the instant this returns, not from {@code base}.
     */
    Instant releaseAt(Instant base) throws InterruptedException {
      Instant at = base;
      if (previous != null) {
        at = later(at, await(previous).plus(interval));
      }
      release = line.windowOpensAt(at);
      return release;
    }

    /** Records that the call started at {@code at} and lets the next call of the line go on. */
    void started(Instant at) {
      line.started(at);
      released.complete(release == null ? at : release);
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
