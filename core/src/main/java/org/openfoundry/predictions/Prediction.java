package org.openfoundry.predictions;

import java.util.OptionalDouble;

/**
 * One validated thing a model predicted for a data row: an object marking a region ({@link
 * ObjectPrediction}) or an answer to a question ({@link ClassificationAnswer}).
 */
public sealed interface Prediction permits ObjectPrediction, ClassificationAnswer {
  /** The ontology feature this prediction belongs to (after class mapping). */
  String feature();

  /** The model's confidence between 0 and 1, when it gave one. */
  OptionalDouble score();
}
