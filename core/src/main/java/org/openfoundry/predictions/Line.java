package org.openfoundry.predictions;

import java.util.List;
import java.util.OptionalDouble;

/** An open polyline of at least two vertices (the ontology's edge or line tool). */
public record Line(
    String feature,
    List<Vertex> vertices,
    OptionalDouble score,
    List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public Line {
    Checks.feature(feature);
    vertices = List.copyOf(vertices);
    if (vertices.size() < 2) {
      throw new IllegalArgumentException(
          "a line needs at least 2 vertices, got " + vertices.size());
    }
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }
}
