package org.openfoundry.predictions;

import java.util.List;

/** A prediction that marks a region of the asset and may carry answers to nested questions. */
public sealed interface ObjectPrediction extends Prediction
    permits Box, Mask, Polygon, Point, Line, EntitySpan {
  /** Answers to the classifications nested under the object's tool. */
  List<ClassificationAnswer> classifications();
}
