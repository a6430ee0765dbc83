package org.openfoundry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.openfoundry.datasets.DataRow;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** Reads data rows selected with {@link #COLUMNS} from {@code data_rows d}. */
final class DataRows {
  static final String COLUMNS =
      """
      d.id AS row_id, d.dataset_id AS row_dataset_id, d.global_key AS row_global_key,
      d.row_data AS row_data, d.media_type AS row_media_type,
      d.attachments AS row_attachments, d.metadata AS row_metadata
      """;

  private DataRows() {}

  static DataRow map(ResultSet resultSet) throws SQLException {
    String id = resultSet.getString("row_id");
    String mediaType = resultSet.getString("row_media_type");
    return new DataRow(
        new DataRowId(id),
        new DatasetId(resultSet.getString("row_dataset_id")),
        Optional.ofNullable(resultSet.getString("row_global_key")),
        resultSet.getString("row_data"),
        AssetType.parse(mediaType)
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.INTERNAL,
                        "data row " + id + " has an unknown media type \"" + mediaType + "\"")),
        Json.read(resultSet.getString("row_attachments"), "attachments of " + id),
        Json.read(resultSet.getString("row_metadata"), "metadata of " + id));
  }
}
