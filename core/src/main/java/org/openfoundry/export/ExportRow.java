package org.openfoundry.export;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.openfoundry.predictions.ImageSize;
import org.openfoundry.predictions.Prediction;

/** One data row's predictions, as an exporter reads them. */
public record ExportRow(
    DataRowRef dataRow, Optional<ImageSize> imageSize, List<Prediction> predictions) {
  public ExportRow {
    requireNonNull(dataRow, "dataRow is null");
    requireNonNull(imageSize, "imageSize is null");
    predictions = List.copyOf(predictions);
  }

  public static ExportRow of(DataRowRef dataRow, List<Prediction> predictions) {
    return new ExportRow(dataRow, Optional.empty(), predictions);
  }
}
