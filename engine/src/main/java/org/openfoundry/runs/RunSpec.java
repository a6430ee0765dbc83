package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import org.openfoundry.models.ModelVersionId;

/** What a new run is: the model version it pins, the rows it covers, and how it calls the model. */
public record RunSpec(
    ModelVersionId modelVersion, DataRowSelection selection, RunSettings settings) {
  public RunSpec {
    requireNonNull(modelVersion, "modelVersion is null");
    requireNonNull(selection, "selection is null");
    requireNonNull(settings, "settings is null");
  }
}
