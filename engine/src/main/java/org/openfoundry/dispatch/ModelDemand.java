package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;

/**
 * A model with work to do: how many of its tasks are runnable now (QUEUED, due, in a RUNNING run),
 * how many are leased across all nodes (in flight), for the cluster-wide concurrency cap, and the
 * runs those runnable tasks belong to (oldest first), whose pinned manifests set the model's
 * concurrency cap and rate before anything is claimed.
 */
public record ModelDemand(ModelId modelId, long runnable, long leased, List<RunId> runs) {
  public ModelDemand {
    requireNonNull(modelId, "modelId is null");
    if (runnable < 0) {
      throw new IllegalArgumentException("runnable must be >= 0, got " + runnable);
    }
    if (leased < 0) {
      throw new IllegalArgumentException("leased must be >= 0, got " + leased);
    }
    runs = List.copyOf(runs);
  }
}
