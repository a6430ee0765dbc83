package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * A task queue that passes every call on to another: the base of the queues that change one or two
 * of them (metering completions, signing the rows of claimed tasks, and fakes in tests).
 */
public abstract class ForwardingTaskQueue implements TaskQueue {
  private final TaskQueue delegate;

  protected ForwardingTaskQueue(TaskQueue delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public List<ModelDemand> demand(Instant now) {
    return delegate.demand(now);
  }

  @Override
  public List<LeasedTask> claim(
      ModelId model, int max, int cap, String owner, Duration leaseFor, Instant now) {
    return delegate.claim(model, max, cap, owner, leaseFor, now);
  }

  @Override
  public Set<TaskId> complete(List<Completion> completions) {
    return delegate.complete(completions);
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
