package org.openfoundry.examples.shapes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;

/** What the shapes model predicts: objects as boxes, regions as masks, and the weather. */
enum SceneFeature {
  CAR("car", FeatureKind.RECTANGLE),
  SUN("sun", FeatureKind.RECTANGLE),
  SIGN("sign", FeatureKind.RECTANGLE),
  SKY("sky", FeatureKind.RASTER_SEGMENTATION),
  ROAD("road", FeatureKind.RASTER_SEGMENTATION),
  GRASS("grass", FeatureKind.RASTER_SEGMENTATION),
  WEATHER("weather", FeatureKind.RADIO);

  static final String CLEAR = "clear";
  static final String CLOUDY = "cloudy";

  private final String featureName;
  private final FeatureKind defaultKind;

  SceneFeature(String featureName, FeatureKind defaultKind) {
    this.featureName = featureName;
    this.defaultKind = defaultKind;
  }

  String featureName() {
    return featureName;
  }

  static Optional<SceneFeature> named(String name) {
    return Arrays.stream(values())
        .filter(feature -> feature.featureName.equalsIgnoreCase(name))
        .findFirst();
  }

  boolean isObject() {
    return this == CAR || this == SUN || this == SIGN;
  }

  boolean isRegion() {
    return this == SKY || this == ROAD || this == GRASS;
  }

  Feature toFeature() {
    if (defaultKind == FeatureKind.RADIO) {
      return new Classification(
          featureName,
          "Is the sky clear or cloudy?",
          FeatureKind.RADIO,
          false,
          List.of(
              new Option("Clear", CLEAR, 0, List.of()),
              new Option("Cloudy", CLOUDY, 1, List.of())));
    }
    return Tool.of(featureName, defaultKind);
  }
}
