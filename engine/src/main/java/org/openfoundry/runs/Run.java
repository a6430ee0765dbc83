package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;

/**
 * A model run: the version it pins, its state, the counts of its tasks per state and its times.
 * {@code dataset} is set when the run covers a whole dataset.
 */
public record Run(
    RunId id,
    ModelId modelId,
    ModelVersionId modelVersionId,
    Optional<DatasetId> dataset,
    RunSettings settings,
    RunState state,
    TaskCounts counts,
    RunTimes times) {

  public Run {
    requireNonNull(id, "id is null");
    requireNonNull(modelId, "modelId is null");
    requireNonNull(modelVersionId, "modelVersionId is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(settings, "settings is null");
    requireNonNull(state, "state is null");
    requireNonNull(counts, "counts is null");
    requireNonNull(times, "times is null");
  }
}
