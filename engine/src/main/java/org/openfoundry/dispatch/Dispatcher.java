package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openfoundry.models.ModelId;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.runs.TaskId;
import org.openfoundry.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works the task queue: each cycle returns expired leases to the queue, renews the leases of long
 * calls, and for every model with work claims as many tasks as its concurrency cap leaves room for
 * and its rate limit has start slots for, then calls each on its own virtual thread at its slot.
 * Outcomes are written in batches, fenced by each task's lease token. {@link #runOnce()} steps one
 * cycle; {@link #start()} runs cycles until {@link #close()}.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** How late a call may start for its slot on a shared schedule, however fast the rate. */
  static final Duration LATE_START_FLOOR = Duration.ofMillis(5);

  /** One start per nanosecond: how a model without a rate limit asks the limiter about holds. */
  private static final double UNLIMITED_RATE = 1e9;

  private enum State {
    NEW,
    RUNNING,
    CLOSING,
    CLOSED
  }

  private final TaskQueue queue;
  private final RateLimiter rateLimiter;
  private final TaskCaller caller;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DispatcherConfig config;
  private final InteractiveCalls interactive;
  private final RunPlans plans;
  private final InFlight inFlight = new InFlight();
  private final StartPacer pacer = new StartPacer();
  private final CompletionWriter writer;
  private final List<CompletionListener> listeners = new CopyOnWriteArrayList<>();
  private final Set<ModelId> warnedUnnamedRuns = ConcurrentHashMap.newKeySet();
  private final Semaphore wakeups = new Semaphore(0);
  private final Runnable wakeUp = wakeups::release;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private volatile Thread loop;
  private volatile Instant lastRequeue;

  public Dispatcher(
      TaskQueue queue,
      RateLimiter rateLimiter,
      TaskCaller caller,
      Clock clock,
      Sleeper sleeper,
      DispatcherConfig config) {
    this(queue, rateLimiter, caller, clock, sleeper, config, new InteractiveCalls());
  }

  /**
   * A dispatcher that shares each model's concurrency cap with the interactive (chat) calls of this
   * node and leaves them the room they wait for.
   */
  public Dispatcher(
      TaskQueue queue,
      RateLimiter rateLimiter,
      TaskCaller caller,
      Clock clock,
      Sleeper sleeper,
      DispatcherConfig config,
      InteractiveCalls interactive) {
    this.interactive = requireNonNull(interactive, "interactive is null");
    interactive.onBatchRoomFreed(wakeUp);
    this.queue = requireNonNull(queue, "queue is null");
    this.rateLimiter = requireNonNull(rateLimiter, "rateLimiter is null");
    this.caller = requireNonNull(caller, "caller is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.sleeper = requireNonNull(sleeper, "sleeper is null");
    this.config = requireNonNull(config, "config is null");
    this.plans = new RunPlans(queue, config.contextIdleTime());
    this.writer =
        new CompletionWriter(
            queue,
            // A claim batch's worth of completions is written at once, so that the next claim can
            // take their room while the rest of the calls still run.
            Math.min(config.completionBatchSize(), config.claimBatchSize()),
            config.completionLinger(),
            this::written,
            inFlight::size);
  }

  /** What one cycle did: leases returned to the queue, leases renewed, tasks claimed. */
  public record Cycle(int requeued, int renewed, int claimed) {}

  /** Runs one cycle; calls it starts go on in the background. */
  public Cycle runOnce() {
    State current = state.get();
    if (current == State.CLOSED) {
      throw new IllegalStateException("the dispatcher is closed");
    }
    writer.start();
    Instant now = clock.instant();
    // This node's own leases first: after a stall longer than a lease (its database away, say) it
    // keeps the calls it still runs, unless another node has taken them back meanwhile, instead of
    // taking them back itself and calling the same rows again.
    int renewed = renewLeases(now);
    int requeued = requeueExpired(now);
    int claimed = 0;
    boolean moreWanted = false;
    if (current == State.NEW || current == State.RUNNING) {
      for (ModelDemand demand : queue.demand(now)) {
        try {
          Claimed batch = dispatch(demand, now);
          claimed += batch.tasks();
          moreWanted |= batch.moreWanted();
        } catch (RuntimeException e) {
          log.warn("could not dispatch the tasks of model {}", demand.modelId(), e);
        }
      }
    }
    plans.forgetIdle(now, inFlight.runs());
    if (moreWanted) {
      // A full claim batch left room under the cap: the next cycle runs at once instead of after
      // the next written batch, so that a cap larger than the claim batch is filled.
      wakeups.release();
    }
    return new Cycle(requeued, renewed, claimed);
  }

  /** Runs cycles on a thread of its own until {@link #close()}. */
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("the dispatcher was already started or closed");
    }
    writer.start();
    loop = Thread.ofVirtual().name("dispatcher-" + config.owner()).start(this::loop);
  }

  /**
   * Stops claiming, lets calls in flight finish for up to the grace period (renewing their leases),
   * interrupts the rest (their leases lapse and the tasks go back to the queue), and writes every
   * completion gathered.
   */
  @Override
  public void close() {
    State previous = state.getAndUpdate(now -> now == State.CLOSED ? now : State.CLOSING);
    if (previous == State.CLOSING || previous == State.CLOSED) {
      return;
    }
    wakeups.release();
    try {
      Thread running = loop;
      if (running != null) {
        running.join();
      }
      drain();
      writer.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.interruptAll();
    } finally {
      interactive.removeBatchRoomListener(wakeUp);
      state.set(State.CLOSED);
    }
  }

  /** Tasks this node holds a lease on right now, per model. */
  public Map<ModelId, Integer> inFlight() {
    return inFlight.counts();
  }

  public int inFlight(ModelId model) {
    return inFlight.count(model);
  }

  public void addListener(CompletionListener listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  private void loop() {
    while (state.get() == State.RUNNING) {
      try {
        runOnce();
      } catch (RuntimeException e) {
        log.warn("a dispatch cycle failed; the next one runs in {}", config.pollInterval(), e);
      }
      try {
        // Woken early when a written batch frees capacity.
        wakeups.tryAcquire(config.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
        wakeups.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** What one model's claim took, and whether a full batch left room for another at once. */
  private record Claimed(int tasks, boolean moreWanted) {
    static final Claimed NONE = new Claimed(0, false);
  }

  private Claimed dispatch(ModelDemand demand, Instant now) {
    ModelId model = demand.modelId();
    Optional<ModelLimits> known = plans.limits(demand.runs(), now);
    if (known.isEmpty()) {
      if (warnedUnnamedRuns.add(model)) {
        log.warn(
            "the task queue names no run for model {}, so its limits are unknown; not claiming",
            model);
      }
      return Claimed.NONE;
    }
    ModelLimits limits = known.get();
    long room =
        Math.min(
            limits.maxConcurrency() - inFlight.count(model),
            limits.maxConcurrency() - demand.leased());
    int wanted = (int) Math.min(Math.min(room, demand.runnable()), config.claimBatchSize());
    if (wanted <= 0) {
      return Claimed.NONE;
    }
    int granted = interactive.startBatch(model, limits.maxConcurrency(), wanted);
    int launched = 0;
    try {
      if (granted == 0) {
        return Claimed.NONE;
      }
      List<Duration> starts =
          limits.requestsPerSecond().isPresent()
              ? rateLimiter.reserve(
                  model, limits.requestsPerSecond().getAsDouble(), granted, config.horizon())
              : unlimitedStarts(model, granted);
      if (starts.isEmpty()) {
        return Claimed.NONE;
      }
      // Slots count from the reservation, not from when the claim came back: a slow claim must not
      // move every start later, nor a fast one the next batch's starts earlier.
      Instant reservedAt = clock.instant();
      OptionalDouble rate = limits.requestsPerSecond();
      List<LeasedTask> tasks;
      try {
        tasks =
            queue.claim(
                model,
                starts.size(),
                limits.maxConcurrency(),
                config.owner(),
                config.leaseDuration(),
                now);
      } catch (RuntimeException e) {
        // No task took the slots: they would be gaps in the rate.
        if (rate.isPresent()) {
          giveBack(model, starts.size());
        }
        throw e;
      }
      if (tasks.size() < starts.size() && rate.isPresent()) {
        // Another node took the room meanwhile: slots without a task would be gaps in the rate.
        giveBack(model, starts.size() - tasks.size());
      }
      boolean shared = rate.isPresent() && rateLimiter.sharedAcrossNodes();
      for (int index = 0; index < tasks.size(); index++) {
        LeasedTask task = tasks.get(index);
        RunPlan plan;
        try {
          plan = plans.plan(task.runId(), now);
        } catch (RuntimeException e) {
          // Before any start is paced for it: the tasks left hold no ticket that would hold back
          // the model's later calls, and their leases lapse so that they are tried again.
          log.warn(
              "could not read run {} for {} claimed tasks of model {}; their leases will lapse and"
                  + " they will be tried again",
              task.runId(),
              tasks.size() - index,
              model,
              e);
          break;
        }
        Instant slot = reservedAt.plus(starts.get(index));
        Start start =
            rate.isEmpty()
                ? new Start.Immediate(slot)
                : shared
                    ? new Start.Shared(slot, rate.getAsDouble())
                    : new Start.Paced(
                        slot,
                        pacer.next(
                            model, InMemoryRateLimiter.emissionInterval(rate.getAsDouble())));
        launch(task, plan, start);
        launched++;
      }
      boolean full = tasks.size() == config.claimBatchSize() && starts.size() == wanted;
      return new Claimed(
          tasks.size(), full && room > tasks.size() && demand.runnable() > tasks.size());
    } finally {
      // Slots neither claimed nor launched go back at once; launched calls give theirs back when
      // their call is over.
      interactive.endBatch(model, granted - launched);
    }
  }

  /**
   * A model without a rate still honours a hold from a 429: one reservation at a rate no endpoint
   * reaches says when the model may start again, and every task starts then.
   */
  private List<Duration> unlimitedStarts(ModelId model, int wanted) {
    List<Duration> first = rateLimiter.reserve(model, UNLIMITED_RATE, 1, config.horizon());
    return first.isEmpty() ? List.of() : Collections.nCopies(wanted, first.getFirst());
  }

  /** When a call may start: its slot, and what else holds it back. */
  private sealed interface Start {
    Instant slot();

    /** No rate limit: the slot only carries a 429's hold. */
    record Immediate(Instant slot) implements Start {}

    /** A rate this node keeps alone: the pacer holds late calls back from bunching. */
    record Paced(Instant slot, StartPacer.Ticket ticket) implements Start {}

    /** A rate whose schedule other nodes share: a late call gives its slot up. */
    record Shared(Instant slot, double requestsPerSecond) implements Start {}
  }

  /** Gives back rate slots a claim found no task for; failing to costs only a moment's rate. */
  private void giveBack(ModelId model, int unused) {
    try {
      rateLimiter.release(model, unused);
    } catch (RuntimeException e) {
      log.warn("could not give back {} unused rate slots of model {}", unused, model, e);
    }
  }

  private void launch(LeasedTask task, RunPlan plan, Start start) {
    inFlight.add(task);
    Thread thread =
        Thread.ofVirtual().name("call-" + task.id()).unstarted(() -> execute(task, plan, start));
    inFlight.runOn(task, thread);
    thread.start();
  }

  private void awaitStart(ModelId model, Start start) throws InterruptedException {
    switch (start) {
      case Start.Immediate immediate -> sleepUntil(immediate.slot());
      case Start.Paced paced -> awaitPaced(paced.slot(), paced.ticket());
      case Start.Shared shared -> awaitShared(model, shared.slot(), shared.requestsPerSecond());
    }
  }

  private void sleepUntil(Instant at) throws InterruptedException {
    Duration left = Duration.between(clock.instant(), at);
    if (left.isPositive()) {
      sleeper.sleep(left);
    }
  }

  /** Waits for the slot, then as long as the pacer holds the call back. */
  private void awaitPaced(Instant slot, StartPacer.Ticket ticket) throws InterruptedException {
    sleepUntil(slot);
    Instant now = clock.instant();
    Instant base = now.isAfter(slot) ? now : slot;
    Instant release = ticket.releaseAt(base);
    // Measured from now if that is later: finding the release waited for the call before this one
    // to start, which can take longer than what is left of the hold.
    Instant found = clock.instant();
    Duration hold = Duration.between(found.isAfter(base) ? found : base, release);
    if (hold.isPositive()) {
      sleeper.sleep(hold);
    }
    ticket.started(clock.instant());
  }

  /**
   * Waits for a slot of a schedule other nodes share. Their slots lie an interval before and after
   * this one, so a call more than a quarter of an interval past its slot (its thread woke late, the
   * machine is busy) would start close to one of theirs: it gives the slot up and reserves the next
   * free one, as often as it takes. A slot given up is lost to the rate, never added to a window;
   * the three quarters left absorb the time between a start and its arrival. Above 50 requests a
   * second the tolerance stays at {@link #LATE_START_FLOOR}: a quarter of a shorter interval is
   * less than a thread's ordinary wake-up, and giving up most slots would cost far more of the rate
   * (and a reservation each) than the few starts it would move.
   */
  private void awaitShared(ModelId model, Instant slot, double requestsPerSecond)
      throws InterruptedException {
    Duration quarter = InMemoryRateLimiter.emissionInterval(requestsPerSecond).dividedBy(4);
    Duration lateness = quarter.compareTo(LATE_START_FLOOR) > 0 ? quarter : LATE_START_FLOOR;
    Instant at = slot;
    while (true) {
      sleepUntil(at);
      Duration late = Duration.between(at, clock.instant());
      if (late.compareTo(lateness) <= 0) {
        return;
      }
      log.debug("a call of model {} woke {} after its slot; reserving another", model, late);
      at = reserveOne(model, requestsPerSecond);
    }
  }

  /** The next free slot, waiting while a 429's hold keeps it beyond the horizon. */
  private Instant reserveOne(ModelId model, double requestsPerSecond) throws InterruptedException {
    while (true) {
      List<Duration> next = rateLimiter.reserve(model, requestsPerSecond, 1, config.horizon());
      Instant reservedAt = clock.instant();
      if (!next.isEmpty()) {
        return reservedAt.plus(next.getFirst());
      }
      Duration horizon = config.horizon();
      sleeper.sleep(horizon.compareTo(config.pollInterval()) > 0 ? horizon : config.pollInterval());
    }
  }

  private void execute(LeasedTask task, RunPlan plan, Start start) {
    AttemptOutcome outcome;
    Instant startedAt = clock.instant();
    boolean called = false;
    Optional<AttemptOutcome> givenUp = givenUp(task, plan);
    try {
      try {
        if (givenUp.isEmpty()) {
          awaitStart(task.modelId(), start);
          startedAt = clock.instant();
        }
      } finally {
        // Released already when the call starts; this frees the calls behind one that never does.
        if (start instanceof Start.Paced paced) {
          paced.ticket().abandon(paced.slot());
        }
      }
      called = givenUp.isEmpty();
      outcome = called ? attempt(task, plan) : givenUp.get();
    } catch (InterruptedException e) {
      // Shut down past the grace period: the lease lapses and the task returns to the queue.
      inFlight.remove(task);
      return;
    } catch (RuntimeException e) {
      log.error(
          "attempt {} of task {} failed inside the dispatcher",
          task.attempt(),
          task.id(),
          Redaction.redact(e, plan.context().secret()));
      String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
      String message =
          Redaction.redact(
              (called
                      ? "the attempt failed inside the dispatcher: "
                      : "the attempt could not start: ")
                  + e.getClass().getSimpleName()
                  + detail,
              plan.context().secret());
      // Before the call (its rate slot could not be reserved, say) nothing was sent: the task
      // goes back to the queue instead of failing for good.
      outcome =
          called
              ? new AttemptOutcome.Failed(
                  EndpointError.DISPATCH_ERROR.name(),
                  OptionalInt.empty(),
                  message,
                  "",
                  Duration.ZERO)
              : new AttemptOutcome.RetryLater(
                  EndpointError.DISPATCH_ERROR.name(),
                  OptionalInt.empty(),
                  message,
                  "",
                  Duration.ZERO,
                  clock.instant().plus(config.pollInterval()));
    } catch (Error e) {
      // No completion will come: the lease is given up here, or it would be renewed for ever.
      inFlight.remove(task);
      wakeups.release();
      throw e;
    } finally {
      // The call is over: its slot under the model's cap goes to whoever waits first.
      interactive.endBatch(task.modelId(), 1);
    }
    Instant finishedAt = clock.instant();
    writer.submit(
        new Completion(
            task, outcome, startedAt.isAfter(finishedAt) ? finishedAt : startedAt, finishedAt));
  }

  /** The attempt itself: the call, or a final failure when the run's manifest cannot make one. */
  private AttemptOutcome attempt(LeasedTask task, RunPlan plan) throws InterruptedException {
    return switch (plan) {
      case RunPlan.Ready ready -> caller.attempt(task, ready.context(), ready.call());
      case RunPlan.Unusable unusable ->
          new AttemptOutcome.Failed(
              EndpointError.MANIFEST_INVALID.name(),
              OptionalInt.empty(),
              unusable.reason(),
              "",
              Duration.ZERO);
    };
  }

  /**
   * The final failure of a task that has made more attempts than its max attempts and the lapses
   * allowed past them, instead of another call; empty for any other task.
   */
  private static Optional<AttemptOutcome> givenUp(LeasedTask task, RunPlan plan) {
    if (!(plan instanceof RunPlan.Ready ready)) {
      return Optional.empty();
    }
    int maxAttempts = ready.call().maxAttempts();
    int made = task.attempt() - 1 - task.attemptsBeforeRetry();
    if (made < maxAttempts + RetryPolicy.LAPSES_ALLOWED) {
      return Optional.empty();
    }
    return Optional.of(
        new AttemptOutcome.Failed(
            EndpointError.LEASE_LAPSED_REPEATEDLY.name(),
            OptionalInt.empty(),
            "the row's leases kept lapsing: "
                + made
                + " attempts were made ("
                + maxAttempts
                + " allowed, and "
                + RetryPolicy.LAPSES_ALLOWED
                + " more for workers that stopped or stalled mid-call), so its call is taken to"
                + " bring the worker down; it is not called again",
            "",
            Duration.ZERO));
  }

  /**
   * Returns expired leases to the queue at most once per poll interval: cycles also run each time a
   * batch of completions is written, and on a busy node a write transaction that finds nothing to
   * requeue on every one of them delays the claims behind it.
   */
  private int requeueExpired(Instant now) {
    Instant last = lastRequeue;
    if (last != null && now.isBefore(last.plus(config.pollInterval()))) {
      return 0;
    }
    lastRequeue = now;
    return queue.requeueExpired(now);
  }

  private int renewLeases(Instant now) {
    List<LeasedTask> due = inFlight.endingBy(now.plus(config.renewWhenLeft()));
    if (due.isEmpty()) {
      return 0;
    }
    Instant newExpiry = now.plus(config.leaseDuration());
    Set<TaskId> renewed = queue.renew(due, newExpiry);
    inFlight.renewed(due, renewed, newExpiry);
    if (renewed.size() < due.size()) {
      log.info(
          "{} leases had lapsed before renewal; their outcomes will be ignored",
          due.size() - renewed.size());
    }
    return renewed.size();
  }

  private void drain() throws InterruptedException {
    Duration step = config.pollInterval();
    // The grace is given in full even when it is shorter than a poll interval or not a multiple of
    // one; leases are renewed at each step of it.
    Duration left = config.shutdownGrace();
    while (left.isPositive() && !inFlight.isEmpty()) {
      try {
        renewLeases(clock.instant());
      } catch (RuntimeException e) {
        log.warn("renewing leases while closing failed", e);
      }
      Duration wait = left.compareTo(step) < 0 ? left : step;
      inFlight.awaitEmpty(wait);
      left = left.minus(wait);
    }
    if (!inFlight.isEmpty()) {
      log.warn(
          "interrupting {} calls still running after the grace period of {}",
          inFlight.counts().values().stream().mapToInt(Integer::intValue).sum(),
          config.shutdownGrace());
      inFlight.interruptAll();
      inFlight.awaitEmpty(step);
    }
  }

  private void written(List<Completion> completions, Set<TaskId> applied) {
    for (Completion completion : completions) {
      inFlight.remove(completion.task());
      boolean wasApplied = applied.contains(completion.task().id());
      for (CompletionListener listener : listeners) {
        try {
          listener.completed(completion, wasApplied);
        } catch (RuntimeException e) {
          log.warn("a completion listener failed", e);
        }
      }
    }
    wakeups.release();
  }
}
