package org.openfoundry.server.metrics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.ForwardingTaskQueue;
import org.openfoundry.dispatch.TaskQueue;
import org.openfoundry.runs.TaskId;

/**
 * A task queue that records each completion it applies (model latency, outcome per error code)
 * before handing everything else to the real queue, so the dispatcher needs no metrics code.
 */
public final class MeteredTaskQueue extends ForwardingTaskQueue {
  private final Metrics metrics;

  public MeteredTaskQueue(TaskQueue delegate, Metrics metrics) {
    super(delegate);
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  public Set<TaskId> complete(List<Completion> completions) {
    Set<TaskId> applied = super.complete(completions);
    completions.stream()
        .filter(completion -> applied.contains(completion.task().id()))
        .forEach(metrics::record);
    return applied;
  }
}
