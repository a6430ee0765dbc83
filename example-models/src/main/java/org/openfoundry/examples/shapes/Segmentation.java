package org.openfoundry.examples.shapes;

import java.util.List;
import java.util.Map;

/**
 * What the segmenter found in one image: object instances; for each region feature its connected
 * parts and its whole mask (holes filled) with a score; and the share of the sky under cloud.
 */
record Segmentation(
    int width,
    int height,
    List<Segment> objects,
    Map<SceneFeature, List<Segment>> regionParts,
    Map<SceneFeature, Segment> regions,
    double cloudCover) {

  /** Above this share of cloud the weather is cloudy. */
  static final double CLOUDY_COVER = 0.2;

  Segmentation {
    objects = List.copyOf(objects);
    regionParts = Map.copyOf(regionParts);
    regions = Map.copyOf(regions);
  }

  String weather() {
    return cloudCover >= CLOUDY_COVER ? SceneFeature.CLOUDY : SceneFeature.CLEAR;
  }

  List<Segment> objects(SceneFeature feature) {
    return objects.stream().filter(segment -> segment.feature() == feature).toList();
  }
}
