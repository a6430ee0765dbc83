package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import org.openfoundry.models.ModelId;

/**
 * A model with work to do: how many of its tasks are runnable now (QUEUED, due, in a RUNNING run)
 * and how many are leased across all nodes (in flight), for the cluster-wide concurrency cap.
 */
public record ModelDemand(ModelId modelId, long runnable, long leased) {
  public ModelDemand {
    requireNonNull(modelId, "modelId is null");
  }
}
