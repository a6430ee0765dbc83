package org.openfoundry.predictions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Builds the spatial predictions once their numbers are read, checking what a picture demands:
 * boxes with extent, polygons with area, and everything inside the image when its size is known
 * (boxes clipped, outline vertices moved onto the edge, each with a warning).
 */
final class Spatial {
  private Spatial() {}

  static Optional<Prediction> box(
      String feature,
      double[] box,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    double left = box[0];
    double top = box[1];
    double width = box[2];
    double height = box[3];
    if (width <= 0 || height <= 0) {
      run.error(path, "box " + describe(box) + " has no area; expected a width and height > 0");
      return Optional.empty();
    }
    Optional<ImageSize> image = run.context().imageSize();
    if (image.isPresent()) {
      ImageSize size = image.get();
      if (left >= size.width() || top >= size.height()) {
        run.error(path, "box " + describe(box) + " lies outside the " + size + " image");
        return Optional.empty();
      }
      // Compare the edges rather than subtract: left + width - left need not give back width.
      boolean overRight = left + width > size.width();
      boolean overBottom = top + height > size.height();
      if (overRight || overBottom) {
        double[] clipped = {
          left,
          top,
          overRight ? size.width() - left : width,
          overBottom ? size.height() - top : height
        };
        run.warning(
            path,
            "clipped box " + describe(box) + " to the " + size + " image: " + describe(clipped));
        width = clipped[2];
        height = clipped[3];
      }
    }
    return Optional.of(new Box(feature, left, top, width, height, score, nested));
  }

  static Optional<Prediction> point(
      String feature,
      Vertex at,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    Optional<ImageSize> image = run.context().imageSize();
    if (image.isPresent() && !inside(at, image.get())) {
      run.error(path, "point " + describe(at) + " lies outside the " + image.get() + " image");
      return Optional.empty();
    }
    return Optional.of(new Point(feature, at, score, nested));
  }

  static Optional<Prediction> polygon(
      String feature,
      List<Vertex> vertices,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    if (vertices.size() < 3) {
      run.error(path, "a polygon needs at least 3 vertices [[x, y], ...], got " + vertices.size());
      return Optional.empty();
    }
    Polygon polygon = new Polygon(feature, onImage(vertices, "polygon", path, run), score, nested);
    if (polygon.area() == 0) {
      run.error(path, "polygon encloses no area: its vertices lie on one line");
      return Optional.empty();
    }
    return Optional.of(polygon);
  }

  static Optional<Prediction> line(
      String feature,
      List<Vertex> vertices,
      OptionalDouble score,
      List<ClassificationAnswer> nested,
      String path,
      ParseRun run) {
    if (vertices.size() < 2) {
      run.error(path, "a line needs at least 2 vertices [[x, y], ...], got " + vertices.size());
      return Optional.empty();
    }
    return Optional.of(new Line(feature, onImage(vertices, "line", path, run), score, nested));
  }

  private static List<Vertex> onImage(
      List<Vertex> vertices, String what, String path, ParseRun run) {
    Optional<ImageSize> image = run.context().imageSize();
    if (image.isEmpty()) {
      return vertices;
    }
    ImageSize size = image.get();
    List<Vertex> moved = new ArrayList<>(vertices.size());
    int outside = 0;
    for (Vertex vertex : vertices) {
      if (inside(vertex, size)) {
        moved.add(vertex);
        continue;
      }
      outside++;
      moved.add(
          new Vertex(Math.min(vertex.x(), size.width()), Math.min(vertex.y(), size.height())));
    }
    if (outside > 0) {
      run.warning(
          path,
          "moved "
              + outside
              + (outside == 1 ? " vertex" : " vertices")
              + " of the "
              + what
              + " outside the "
              + size
              + " image onto its edge");
    }
    return moved;
  }

  private static boolean inside(Vertex vertex, ImageSize size) {
    return vertex.x() <= size.width() && vertex.y() <= size.height();
  }

  static String describe(double[] box) {
    return "["
        + Values.format(box[0])
        + ", "
        + Values.format(box[1])
        + ", "
        + Values.format(box[2])
        + ", "
        + Values.format(box[3])
        + "]";
  }

  static String describe(Vertex vertex) {
    return "[" + Values.format(vertex.x()) + ", " + Values.format(vertex.y()) + "]";
  }
}
