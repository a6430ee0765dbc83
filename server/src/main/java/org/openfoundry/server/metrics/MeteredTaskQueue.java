package org.openfoundry.server.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.ModelDemand;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * A task queue that records each completion it applies (model latency, outcome per error code)
 * before handing everything else to the real queue, so the dispatcher needs no metrics code.
 */
public final class MeteredTaskQueue implements TaskQueue {
  private final TaskQueue delegate;
  private final Metrics metrics;

  public MeteredTaskQueue(TaskQueue delegate, Metrics metrics) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  public List<ModelDemand> demand(Instant now) {
    return delegate.demand(now);
  }

  @Override
  public List<LeasedTask> claim(
      ModelId model, int max, int concurrencyCap, String owner, Duration leaseFor, Instant now) {
    return delegate.claim(model, max, concurrencyCap, owner, leaseFor, now);
  }

  @Override
  public Set<TaskId> complete(List<Completion> completions) {
    Set<TaskId> applied = delegate.complete(completions);
    completions.stream()
        .filter(completion -> applied.contains(completion.task().id()))
        .forEach(metrics::record);
    return applied;
  }

  @Override
  public int requeueExpired(Instant now) {
    return delegate.requeueExpired(now);
  }

  @Override
  public Set<TaskId> renew(List<LeasedTask> tasks, Instant newExpiry) {
    return delegate.renew(tasks, newExpiry);
  }

  @Override
  public RunDispatchContext context(RunId run) {
    return delegate.context(run);
  }
}
