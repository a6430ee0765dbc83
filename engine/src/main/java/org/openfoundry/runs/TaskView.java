package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.openfoundry.datasets.DataRowId;

/**
 * A task as the API lists it: its data row, state, how many attempts it has had, and what its last
 * attempt came to (HTTP status, error, latency).
 */
public record TaskView(
    TaskId id,
    DataRowId dataRowId,
    TaskState state,
    int attempts,
    OptionalInt lastStatus,
    Optional<TaskError> error,
    Optional<Duration> latency) {

  public TaskView {
    requireNonNull(id, "id is null");
    requireNonNull(dataRowId, "dataRowId is null");
    requireNonNull(state, "state is null");
    requireNonNull(lastStatus, "lastStatus is null");
    requireNonNull(error, "error is null");
    requireNonNull(latency, "latency is null");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
    }
  }
}
