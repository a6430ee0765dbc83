package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.RunId;

/**
 * Run contexts fetched once per run and kept while the run has work, with each model's limits as
 * its runs' pinned manifests set them.
 */
final class RunPlans {
  private static final ModelLimits NO_USABLE_RUN = new ModelLimits(1, OptionalDouble.empty());

  private final TaskQueue queue;
  private final Duration idleTime;
  private final Map<RunId, Cached> plans = new ConcurrentHashMap<>();

  RunPlans(TaskQueue queue, Duration idleTime) {
    this.queue = requireNonNull(queue, "queue is null");
    this.idleTime = requireNonNull(idleTime, "idleTime is null");
  }

  RunPlan plan(RunId run, Instant now) {
    Cached cached = plans.computeIfAbsent(run, this::load);
    cached.lastUsed = now;
    return cached.plan;
  }

  /**
   * The strictest limits among the runs with work for a model: runs pinned to different versions
   * share one cap and one rate. Empty when no run is named.
   */
  Optional<ModelLimits> limits(List<RunId> runs, Instant now) {
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    ModelLimits strictest = null;
    for (RunId run : runs) {
      if (plan(run, now) instanceof RunPlan.Ready ready) {
        ModelLimits limits = ModelLimits.of(ready.call());
        strictest = strictest == null ? limits : strictest.stricter(limits);
      }
    }
    // With no usable manifest the tasks fail without a call, one at a time.
    return Optional.of(strictest == null ? NO_USABLE_RUN : strictest);
  }

  /** Drops contexts unused for the idle time, except those of runs with calls in flight. */
  void forgetIdle(Instant now, Set<RunId> inUse) {
    Instant cutoff = now.minus(idleTime);
    plans
        .entrySet()
        .removeIf(
            entry -> !inUse.contains(entry.getKey()) && entry.getValue().lastUsed.isBefore(cutoff));
  }

  int size() {
    return plans.size();
  }

  private Cached load(RunId run) {
    RunDispatchContext context = queue.context(run);
    RunPlan plan;
    try {
      EndpointCall call = EndpointCall.fromManifest(context.manifest());
      plan = new RunPlan.Ready(context, call);
    } catch (FoundryException e) {
      plan = new RunPlan.Unusable(context, e.describe());
    }
    return new Cached(plan);
  }

  private static final class Cached {
    private final RunPlan plan;
    private volatile Instant lastUsed = Instant.MIN;

    private Cached(RunPlan plan) {
      this.plan = plan;
    }
  }
}
