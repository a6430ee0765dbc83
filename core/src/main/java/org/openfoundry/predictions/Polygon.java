package org.openfoundry.predictions;

import java.util.List;
import java.util.OptionalDouble;

/** A closed outline of at least three vertices; the last vertex joins the first. */
public record Polygon(
    String feature,
    List<Vertex> vertices,
    OptionalDouble score,
    List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public Polygon {
    Checks.feature(feature);
    vertices = List.copyOf(vertices);
    if (vertices.size() < 3) {
      throw new IllegalArgumentException(
          "a polygon needs at least 3 vertices, got " + vertices.size());
    }
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }

  /** The enclosed area in square pixels (shoelace formula; self-intersections count signed). */
  public double area() {
    double twice = 0;
    for (int index = 0; index < vertices.size(); index++) {
      Vertex here = vertices.get(index);
      Vertex next = vertices.get((index + 1) % vertices.size());
      twice += here.x() * next.y() - next.x() * here.y();
    }
    return Math.abs(twice) / 2;
  }
}
