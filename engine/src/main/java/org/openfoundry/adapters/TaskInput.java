package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Ontology;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One data row to predict: its id and global key, its data (a URL, or the text itself for text
 * rows), its media type, the run's ontology (typed, to map vendor answers onto it, and as the JSON
 * sent on the wire) and the run's inference parameters.
 */
public record TaskInput(
    DataRowId dataRowId,
    Optional<String> globalKey,
    String rowData,
    AssetType mediaType,
    Ontology ontology,
    ObjectNode ontologyJson,
    ObjectNode inferenceParams) {

  public TaskInput {
    requireNonNull(dataRowId, "dataRowId is null");
    requireNonNull(globalKey, "globalKey is null");
    requireNonNull(rowData, "rowData is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(ontology, "ontology is null");
    ontologyJson = requireNonNull(ontologyJson, "ontologyJson is null").deepCopy();
    inferenceParams = requireNonNull(inferenceParams, "inferenceParams is null").deepCopy();
  }

  @Override
  public ObjectNode ontologyJson() {
    return ontologyJson.deepCopy();
  }

  @Override
  public ObjectNode inferenceParams() {
    return inferenceParams.deepCopy();
  }

  /**
   * The task request of the wire contract: {@code data_row}, {@code ontology}, {@code
   * inference_params}.
   */
  public ObjectNode toWireRequest() {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    ObjectNode dataRow = request.putObject("data_row");
    dataRow.put("id", dataRowId.value());
    globalKey.ifPresent(key -> dataRow.put("global_key", key));
    dataRow.put("row_data", rowData);
    request.set("ontology", ontologyJson.deepCopy());
    request.set("inference_params", inferenceParams.deepCopy());
    return request;
  }
}
