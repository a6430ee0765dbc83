package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import org.openfoundry.datasets.DataRow;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/** A task claimed by this worker: the data row to send and the attempt number this call is. */
public record LeasedTask(
    TaskId id, RunId runId, ModelId modelId, DataRow row, int attempt, Lease lease) {
  public LeasedTask {
    requireNonNull(id, "id is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(modelId, "modelId is null");
    requireNonNull(row, "row is null");
    requireNonNull(lease, "lease is null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }
}
