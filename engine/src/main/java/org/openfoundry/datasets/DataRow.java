package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.openfoundry.ontology.AssetType;
import tools.jackson.databind.JsonNode;

/**
 * One data row: {@code rowData} is a URL, or the text itself for text rows (up to 64K characters);
 * attachments and metadata are JSON as imported.
 */
public record DataRow(
    DataRowId id,
    DatasetId datasetId,
    Optional<String> globalKey,
    String rowData,
    AssetType mediaType,
    JsonNode attachments,
    JsonNode metadata) {

  public DataRow {
    requireNonNull(id, "id is null");
    requireNonNull(datasetId, "datasetId is null");
    requireNonNull(globalKey, "globalKey is null");
    requireNonNull(rowData, "rowData is null");
    requireNonNull(mediaType, "mediaType is null");
    requireNonNull(attachments, "attachments is null");
    requireNonNull(metadata, "metadata is null");
  }
}
