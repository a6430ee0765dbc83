package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/** A single keypoint in pixels. */
public record Point(
    String feature, Vertex at, OptionalDouble score, List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public Point {
    Checks.feature(feature);
    requireNonNull(at, "at is null");
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }
}
