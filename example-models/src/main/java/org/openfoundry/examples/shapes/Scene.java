package org.openfoundry.examples.shapes;

import static java.util.Objects.requireNonNull;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * A generated scene and its truth: the object instances (what is visible of each), the pixels of
 * each region, and the weather.
 */
record Scene(
    String name,
    BufferedImage image,
    List<TrueObject> objects,
    Map<SceneFeature, PixelMask> regions,
    String weather) {

  Scene {
    requireNonNull(name, "name is null");
    requireNonNull(image, "image is null");
    objects = List.copyOf(objects);
    regions = Map.copyOf(regions);
    requireNonNull(weather, "weather is null");
  }

  /** One visible object instance. */
  record TrueObject(SceneFeature feature, PixelMask pixels) {
    TrueObject {
      requireNonNull(feature, "feature is null");
      requireNonNull(pixels, "pixels is null");
    }

    /** {@code [left, top, width, height]} of the visible pixels. */
    int[] box() {
      int[] bounds = pixels.bounds();
      return new int[] {bounds[0], bounds[1], bounds[2] - bounds[0] + 1, bounds[3] - bounds[1] + 1};
    }
  }
}
