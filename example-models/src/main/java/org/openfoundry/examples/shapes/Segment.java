package org.openfoundry.examples.shapes;

import static java.util.Objects.requireNonNull;

/** An object instance, or a connected part of a region, with the model's score for it. */
record Segment(SceneFeature feature, PixelMask pixels, double score) {
  Segment {
    requireNonNull(feature, "feature is null");
    requireNonNull(pixels, "pixels is null");
    if (pixels.isEmpty()) {
      throw new IllegalArgumentException("a segment of " + feature.featureName() + " is empty");
    }
  }
}
