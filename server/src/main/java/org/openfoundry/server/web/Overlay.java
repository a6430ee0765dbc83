package org.openfoundry.server.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.ClassificationAnswer;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.Line;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Prediction;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;

/**
 * Turns one row's typed predictions into what the viewer draws: shapes in image pixels for the SVG
 * layer, masks as uncompressed run lengths for the canvas layer, entity highlights over the row's
 * text, and the classification answers, each in its feature's colour and with its score.
 */
final class Overlay {
  private final Map<String, String> colours = new HashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final List<MaskLayer> masks = new ArrayList<>();
  private final List<Entity> entities = new ArrayList<>();
  private final List<Answer> answers = new ArrayList<>();

  /** A vector shape; {@code geometry} holds x, y, width, height, or the points, or cx, cy. */
  record Shape(
      String kind, String feature, String colour, String score, String label, String geometry) {
    String x() {
      return part(0);
    }

    String y() {
      return part(1);
    }

    String width() {
      return part(2);
    }

    String height() {
      return part(3);
    }

    /** The points of a polygon or line, as SVG wants them. */
    String points() {
      return geometry;
    }

    /** Where the label goes: the box's corner, the first vertex, the point. */
    String anchorX() {
      return kind.equals("box") || kind.equals("point") ? part(0) : part(0).split(",")[0];
    }

    String anchorY() {
      return kind.equals("box") || kind.equals("point") ? part(1) : part(0).split(",")[1];
    }

    private String part(int index) {
      return geometry.split(" ")[index];
    }
  }

  /** A mask: its size, its column-major run lengths starting with zeros, its feature and score. */
  record MaskLayer(
      String feature,
      String colour,
      String score,
      String label,
      int height,
      int width,
      String counts) {}

  record Entity(String feature, String colour, String score, int start, int end, String text) {}

  record Answer(String feature, String colour, String score, String text) {}

  /** A stretch of the row's text, highlighted when an entity covers it. */
  record Segment(String text, Entity entity) {
    boolean marked() {
      return entity != null;
    }
  }

  /** A feature present in the row: its colour and how many predictions it has. */
  record LegendItem(String feature, String colour, int count) {}

  Overlay(Ontology ontology, List<Prediction> predictions) {
    List<Feature> features = ontology.features();
    for (int index = 0; index < features.size(); index++) {
      colours.put(features.get(index).name(), Palette.colour(features.get(index), index));
    }
    predictions.forEach(this::add);
  }

  List<Shape> shapes() {
    return List.copyOf(shapes);
  }

  List<MaskLayer> masks() {
    return List.copyOf(masks);
  }

  List<Entity> entities() {
    return List.copyOf(entities);
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  List<LegendItem> legend() {
    List<LegendItem> legend = new ArrayList<>();
    counts.forEach((feature, count) -> legend.add(new LegendItem(feature, colour(feature), count)));
    return legend;
  }

  /**
   * The text cut into plain and highlighted stretches. Where entities overlap, the one that starts
   * first (the longer one on a tie) is highlighted and the other stays in the entity list.
   */
  List<Segment> segments(String text) {
    List<Segment> segments = new ArrayList<>();
    int at = 0;
    List<Entity> ordered =
        entities.stream()
            .sorted(Comparator.comparingInt(Entity::start).thenComparing(e -> -e.end()))
            .toList();
    for (Entity entity : ordered) {
      if (entity.start() < at || entity.end() > text.length()) {
        continue;
      }
      if (entity.start() > at) {
        segments.add(new Segment(text.substring(at, entity.start()), null));
      }
      segments.add(new Segment(text.substring(entity.start(), entity.end()), entity));
      at = entity.end();
    }
    if (at < text.length()) {
      segments.add(new Segment(text.substring(at), null));
    }
    return segments;
  }

  private void add(Prediction prediction) {
    switch (prediction) {
      case Box box -> {
        shape(
            "box",
            box.feature(),
            box.score(),
            join(box.left(), box.top(), box.width(), box.height()));
        nested(box.feature(), box.classifications());
      }
      case Polygon polygon -> {
        shape("polygon", polygon.feature(), polygon.score(), points(polygon.vertices()));
        nested(polygon.feature(), polygon.classifications());
      }
      case Line line -> {
        shape("line", line.feature(), line.score(), points(line.vertices()));
        nested(line.feature(), line.classifications());
      }
      case Point point -> {
        shape("point", point.feature(), point.score(), join(point.at().x(), point.at().y()));
        nested(point.feature(), point.classifications());
      }
      case Mask mask -> {
        count(mask.feature());
        masks.add(
            new MaskLayer(
                mask.feature(),
                colour(mask.feature()),
                score(mask.score()),
                label(mask.feature(), mask.score()),
                mask.mask().height(),
                mask.mask().width(),
                runLengths(mask.mask().counts())));
        nested(mask.feature(), mask.classifications());
      }
      case EntitySpan span -> {
        count(span.feature());
        entities.add(
            new Entity(
                span.feature(),
                colour(span.feature()),
                score(span.score()),
                span.start(),
                span.end(),
                span.text()));
        nested(span.feature(), span.classifications());
      }
      case Radio radio -> answer(radio.feature(), radio.score(), radio.value());
      case Checklist checklist ->
          answer(checklist.feature(), checklist.score(), String.join(", ", checklist.values()));
      case FreeText free -> answer(free.feature(), free.score(), free.text());
    }
  }

  private void shape(String kind, String feature, OptionalDouble score, String geometry) {
    count(feature);
    shapes.add(
        new Shape(kind, feature, colour(feature), score(score), label(feature, score), geometry));
  }

  private void answer(String feature, OptionalDouble score, String text) {
    count(feature);
    answers.add(new Answer(feature, colour(feature), score(score), text));
  }

  /** Answers nested under an object are listed with the object's feature before theirs. */
  private void nested(String parent, List<ClassificationAnswer> classifications) {
    for (ClassificationAnswer answer : classifications) {
      String text =
          switch (answer) {
            case Radio radio -> radio.value();
            case Checklist checklist -> String.join(", ", checklist.values());
            case FreeText free -> free.text();
          };
      answers.add(
          new Answer(
              parent + " \u203a " + answer.feature(),
              colour(parent),
              score(scoreOf(answer)),
              text));
    }
  }

  private static OptionalDouble scoreOf(ClassificationAnswer answer) {
    return switch (answer) {
      case Radio radio -> radio.score();
      case Checklist checklist -> checklist.score();
      case FreeText free -> free.score();
    };
  }

  private void count(String feature) {
    counts.merge(feature, 1, Integer::sum);
  }

  private String colour(String feature) {
    return colours.computeIfAbsent(feature, name -> Palette.byIndex(colours.size()));
  }

  private static String label(String feature, OptionalDouble score) {
    return score.isPresent()
        ? feature + " " + String.format(Locale.ROOT, "%.2f", score.getAsDouble())
        : feature;
  }

  /** The score as the slider compares it; empty when the model gave none (always shown). */
  private static String score(OptionalDouble score) {
    return score.isPresent() ? String.format(Locale.ROOT, "%.4f", score.getAsDouble()) : "";
  }

  private static String join(double... values) {
    StringJoiner joined = new StringJoiner(" ");
    for (double value : values) {
      joined.add(number(value));
    }
    return joined.toString();
  }

  private static String points(List<Vertex> vertices) {
    return vertices.stream()
        .map(vertex -> number(vertex.x()) + "," + number(vertex.y()))
        .collect(Collectors.joining(" "));
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static String runLengths(int[] counts) {
    StringJoiner joined = new StringJoiner(" ");
    for (int count : counts) {
      joined.add(Integer.toString(count));
    }
    return joined.toString();
  }
}
