package org.openfoundry.dispatch;

import org.openfoundry.datasets.DataRow;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the response object whole as the predictions, with an empty report: the engine's
 * post-processing until the core response parser is wired in its place.
 */
public final class KeepWholeResponse implements ResponsePostProcessor {
  @Override
  public Processed process(ObjectNode response, RunDispatchContext context, DataRow row) {
    return new Processed(response, WireJson.MAPPER.createObjectNode(), true);
  }
}
