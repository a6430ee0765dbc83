package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import org.openfoundry.datasets.DataRow;
import tools.jackson.databind.JsonNode;

/**
 * A succeeded task's result, for export: its data row, the predictions and report (the parser's
 * canonical JSON) and the raw response as stored (size-capped).
 */
public record RunResult(
    TaskId taskId,
    DataRow row,
    int attempt,
    JsonNode predictions,
    JsonNode report,
    String rawResponse) {
  public RunResult {
    requireNonNull(taskId, "taskId is null");
    requireNonNull(row, "row is null");
    requireNonNull(predictions, "predictions is null");
    requireNonNull(report, "report is null");
    requireNonNull(rawResponse, "rawResponse is null");
  }
}
