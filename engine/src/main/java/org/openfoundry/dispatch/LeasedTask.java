package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import org.openfoundry.datasets.DataRow;
import org.openfoundry.models.ModelId;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;

/**
 * A task claimed by this worker: the data row to send and the attempt number this call is, counting
 * every attempt the task made; {@code attemptsBeforeRetry} of them were made before its run's
 * failed tasks were last retried, and the model's max attempts count from there.
 */
public record LeasedTask(
    TaskId id,
    RunId runId,
    ModelId modelId,
    DataRow row,
    int attempt,
    int attemptsBeforeRetry,
    Lease lease) {
  public LeasedTask {
    requireNonNull(id, "id is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(modelId, "modelId is null");
    requireNonNull(row, "row is null");
    requireNonNull(lease, "lease is null");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
    if (attemptsBeforeRetry < 0 || attemptsBeforeRetry >= attempt) {
      throw new IllegalArgumentException(
          "attemptsBeforeRetry must be >= 0 and below the attempt "
              + attempt
              + ", got "
              + attemptsBeforeRetry);
    }
  }

  /** The same task with another data row to send (its files' URLs signed, say). */
  public LeasedTask withRow(DataRow other) {
    return new LeasedTask(id, runId, modelId, other, attempt, attemptsBeforeRetry, lease);
  }
}
