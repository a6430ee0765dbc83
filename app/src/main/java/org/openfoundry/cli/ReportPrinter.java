package org.openfoundry.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.predictions.Box;
import org.openfoundry.predictions.Checklist;
import org.openfoundry.predictions.ClassificationAnswer;
import org.openfoundry.predictions.EntitySpan;
import org.openfoundry.predictions.FreeText;
import org.openfoundry.predictions.Line;
import org.openfoundry.predictions.Mask;
import org.openfoundry.predictions.ObjectPrediction;
import org.openfoundry.predictions.ParseReport;
import org.openfoundry.predictions.Point;
import org.openfoundry.predictions.Polygon;
import org.openfoundry.predictions.Prediction;
import org.openfoundry.predictions.Radio;
import org.openfoundry.predictions.Vertex;
import org.openfoundry.problems.Problem;

/** Prints a parse report for people: predictions per feature, then warnings, then errors. */
final class ReportPrinter {
  private static final int VERTICES_SHOWN = 6;
  private static final int TEXT_SHOWN = 60;

  private ReportPrinter() {}

  static void print(
      ParseReport report, Ontology ontology, OptionalDouble threshold, PrintWriter out) {
    Map<String, List<Prediction>> byFeature = new LinkedHashMap<>();
    for (Prediction prediction : report.predictions()) {
      byFeature.computeIfAbsent(prediction.feature(), feature -> new ArrayList<>()).add(prediction);
    }
    byFeature.forEach(
        (feature, predictions) -> {
          String kind = ontology.feature(feature).map(found -> found.kind().word()).orElse("?");
          out.println(feature + " (" + kind + "): " + count(predictions.size(), "prediction"));
          predictions.forEach(prediction -> tree(prediction, "  ", out));
        });
    section("Warnings", report.warnings(), out);
    section("Errors", report.errors(), out);
    out.println(summary(report, threshold));
  }

  /** A prediction, then the answers nested under it, each level indented further. */
  private static void tree(Prediction prediction, String indent, PrintWriter out) {
    out.println(indent + describe(prediction));
    for (ClassificationAnswer answer : nested(prediction)) {
      tree(answer, indent + "  ", out);
    }
  }

  private static List<ClassificationAnswer> nested(Prediction prediction) {
    return switch (prediction) {
      case ObjectPrediction object -> object.classifications();
      case Radio radio -> radio.choice().classifications();
      case Checklist checklist ->
          checklist.choices().stream()
              .flatMap(choice -> choice.classifications().stream())
              .toList();
      case FreeText text -> List.of();
    };
  }

  private static void section(String title, List<Problem> problems, PrintWriter out) {
    if (problems.isEmpty()) {
      return;
    }
    out.println(title + ":");
    for (Problem problem : problems) {
      String line = problem.format();
      out.println(
          "  " + (line.startsWith("warning: ") ? line.substring("warning: ".length()) : line));
    }
  }

  private static String summary(ParseReport report, OptionalDouble threshold) {
    String line =
        count(report.predictions().size(), "prediction")
            + ", "
            + count(report.warnings().size(), "warning")
            + ", "
            + count(report.errors().size(), "error");
    if (threshold.isPresent()) {
      line +=
          "; "
              + report.droppedUnderConfidence()
              + " dropped under the confidence threshold "
              + number(threshold.getAsDouble());
    }
    return line;
  }

  static String describe(Prediction prediction) {
    String text =
        switch (prediction) {
          case Box box ->
              "box left "
                  + number(box.left())
                  + ", top "
                  + number(box.top())
                  + ", width "
                  + number(box.width())
                  + ", height "
                  + number(box.height());
          case Mask mask ->
              "mask "
                  + mask.mask().width()
                  + "x"
                  + mask.mask().height()
                  + ", "
                  + count(mask.mask().area(), "pixel")
                  + " set"
                  + mask.mask()
                      .boundingBox()
                      .map(
                          box ->
                              ", within box left "
                                  + number(box.left())
                                  + ", top "
                                  + number(box.top())
                                  + ", width "
                                  + number(box.width())
                                  + ", height "
                                  + number(box.height()))
                      .orElse("");
          case Polygon polygon -> "polygon " + vertices(polygon.vertices());
          case Line line -> "line " + vertices(line.vertices());
          case Point point -> "point " + vertex(point.at());
          case EntitySpan span ->
              "span " + span.start() + ".." + span.end() + " " + quote(span.text());
          case Radio radio -> radio.feature() + ": " + radio.value();
          case Checklist checklist ->
              checklist.feature() + ": " + String.join(", ", checklist.values());
          case FreeText free -> free.feature() + ": " + quote(free.text());
        };
    return prediction.score().isPresent()
        ? text + ", score " + number(prediction.score().getAsDouble())
        : text;
  }

  private static String vertices(List<Vertex> vertices) {
    String shown =
        vertices.stream()
            .limit(VERTICES_SHOWN)
            .map(ReportPrinter::vertex)
            .collect(Collectors.joining(" "));
    return vertices.size() > VERTICES_SHOWN
        ? shown + " ... (" + vertices.size() + " vertices)"
        : shown;
  }

  private static String vertex(Vertex vertex) {
    return "(" + number(vertex.x()) + ", " + number(vertex.y()) + ")";
  }

  private static String quote(String text) {
    String shown = text.length() > TEXT_SHOWN ? text.substring(0, TEXT_SHOWN - 3) + "..." : text;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }

  private static String count(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
