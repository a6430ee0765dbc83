package org.openfoundry.dispatch;

import org.openfoundry.datasets.DataRow;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the response object whole as the predictions, with an empty report: for tests of the
 * dispatch that do not look at what a response means.
 */
public final class KeepWholeResponse implements ResponsePostProcessor {
  @Override
  public Processed process(ObjectNode response, RunDispatchContext context, DataRow row) {
    return new Processed(response, WireJson.MAPPER.createObjectNode(), true);
  }
}
