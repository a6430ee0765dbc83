package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;
import org.openfoundry.rle.RleMask;

/** A segmentation mask, held as COCO run-length counts at the image's height and width. */
public record Mask(
    String feature, RleMask mask, OptionalDouble score, List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public Mask {
    Checks.feature(feature);
    requireNonNull(mask, "mask is null");
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }
}
