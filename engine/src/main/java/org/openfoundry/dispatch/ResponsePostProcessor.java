package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import org.openfoundry.datasets.DataRow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an endpoint's JSON object into the predictions stored with the task and a report of what
 * could not be used. A response whose features partly fail keeps the valid predictions.
 */
public interface ResponsePostProcessor {

  Processed process(ObjectNode response, RunDispatchContext context, DataRow row);

  /**
   * The canonical predictions JSON, the report JSON, and whether anything valid came out; when
   * nothing did, the attempt fails with {@code PREDICTION_INVALID}.
   */
  record Processed(JsonNode predictions, JsonNode report, boolean anyValid) {
    public Processed {
      requireNonNull(predictions, "predictions is null");
      requireNonNull(report, "report is null");
    }
  }
}
