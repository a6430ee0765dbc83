package org.openfoundry.predictions;

import java.util.List;
import java.util.OptionalDouble;

/** A rectangle in pixels: its top-left corner, width and height. */
public record Box(
    String feature,
    double left,
    double top,
    double width,
    double height,
    OptionalDouble score,
    List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public Box {
    Checks.feature(feature);
    Checks.coordinate("left", left);
    Checks.coordinate("top", top);
    Checks.extent("width", width);
    Checks.extent("height", height);
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }

  public double area() {
    return width * height;
  }
}
