package org.openfoundry.cli.predictions;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/**
 * Reads the Labelbox NDJSON lines that an export or a connection test gives and says what they
 * predict: {@code car: box 42x18 at (120, 96), 0.93}, {@code road: mask, 31% of the image}, {@code
 * entity: "Angela Merkel"}, {@code weather: clear}.
 */
public final class PredictionText {
  private static final int TEXT_SHOWN = 60;

  private PredictionText() {}

  /** What kind of prediction a line holds, as its geometry or answer key says. */
  public enum Kind {
    BOX("box", "boxes"),
    MASK("mask", "masks"),
    SPAN("span", "spans"),
    POLYGON("polygon", "polygons"),
    LINE("line", "lines"),
    POINT("point", "points"),
    ANSWER("answer", "answers");

    private final String singular;
    private final String plural;

    Kind(String singular, String plural) {
      this.singular = singular;
      this.plural = plural;
    }

    public String count(long count) {
      return count + " " + (count == 1 ? singular : plural);
    }

    boolean isClassification() {
      return this == ANSWER;
    }
  }

  public static Kind kind(JsonNode line) {
    if (line.has("bbox")) {
      return Kind.BOX;
    }
    if (line.has("mask")) {
      return Kind.MASK;
    }
    if (line.has("location")) {
      return Kind.SPAN;
    }
    if (line.has("polygon")) {
      return Kind.POLYGON;
    }
    if (line.has("line")) {
      return Kind.LINE;
    }
    if (line.has("point")) {
      return Kind.POINT;
    }
    return Kind.ANSWER;
  }

  /** The data row a line is about: its global key, else its id. */
  public static String rowKey(JsonNode line) {
    JsonNode row = line.path("dataRow");
    return row.path("globalKey").asString(row.path("id").asString("?"));
  }

  /** One prediction line in words; {@code rowText} gives a named entity its text. */
  public static String describe(JsonNode line, Optional<String> rowText) {
    String name = line.path("name").asString("?");
    String text =
        switch (kind(line)) {
          case BOX -> {
            JsonNode box = line.path("bbox");
            yield name
                + ": box "
                + number(box.path("width").asDouble(0))
                + "x"
                + number(box.path("height").asDouble(0))
                + " at ("
                + number(box.path("left").asDouble(0))
                + ", "
                + number(box.path("top").asDouble(0))
                + ")";
          }
          case MASK ->
              name
                  + ": mask"
                  + coverage(line).stream()
                      .mapToObj(share -> ", " + percent(share) + " of the image")
                      .collect(Collectors.joining());
          case SPAN -> name + ": " + span(line, rowText);
          case POLYGON -> name + ": polygon of " + line.path("polygon").size() + " vertices";
          case LINE -> name + ": line of " + line.path("line").size() + " vertices";
          case POINT ->
              name
                  + ": point ("
                  + number(line.path("point").path("x").asDouble(0))
                  + ", "
                  + number(line.path("point").path("y").asDouble(0))
                  + ")";
          case ANSWER -> name + ": " + answer(line.path("answer"));
        };
    return score(line).isPresent() ? text + ", " + score(score(line).getAsDouble()) : text;
  }

  /**
   * A data row's predictions in one line: objects first, grouped by feature ({@code car x2 (0.93,
   * 0.88), road mask 31% of the image}), then the classifications ({@code weather: clear}).
   */
  public static String summarizeRow(List<JsonNode> lines, Optional<String> rowText) {
    Map<String, List<JsonNode>> byFeature = new LinkedHashMap<>();
    for (JsonNode line : lines) {
      byFeature
          .computeIfAbsent(line.path("name").asString("?"), name -> new ArrayList<>())
          .add(line);
    }
    List<String> objects = new ArrayList<>();
    List<String> answers = new ArrayList<>();
    byFeature.forEach(
        (feature, group) -> {
          Kind kind = kind(group.getFirst());
          if (kind.isClassification()) {
            group.forEach(line -> answers.add(feature + ": " + answer(line.path("answer"))));
          } else {
            objects.add(objects(feature, kind, group, rowText));
          }
        });
    List<String> parts = new ArrayList<>();
    if (!objects.isEmpty()) {
      parts.add(String.join(", ", objects));
    }
    parts.addAll(answers);
    return parts.isEmpty() ? "no predictions" : String.join("; ", parts);
  }

  /**
   * How many predictions of each kind each feature has: {@code car 41 boxes, weather 24 answers}.
   */
  public static String countByFeature(List<JsonNode> lines) {
    Map<String, Map<Kind, Long>> counts = new LinkedHashMap<>();
    for (JsonNode line : lines) {
      counts
          .computeIfAbsent(line.path("name").asString("?"), name -> new LinkedHashMap<>())
          .merge(kind(line), 1L, Long::sum);
    }
    List<String> parts = new ArrayList<>();
    counts.forEach(
        (feature, byKind) ->
            byKind.forEach((kind, count) -> parts.add(feature + " " + kind.count(count))));
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }

  /** The share of the image a mask line's PNG covers, from 0 to 1; empty when unreadable. */
  public static OptionalDouble coverage(JsonNode line) {
    String png = line.path("mask").path("png").asString("");
    if (png.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png)));
      if (image == null || image.getWidth() == 0 || image.getHeight() == 0) {
        return OptionalDouble.empty();
      }
      Raster raster = image.getRaster();
      long set = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          if (raster.getSample(x, y, 0) != 0) {
            set++;
          }
        }
      }
      return OptionalDouble.of((double) set / ((long) image.getWidth() * image.getHeight()));
    } catch (IOException | IllegalArgumentException unreadable) {
      return OptionalDouble.empty();
    }
  }

  private static String objects(
      String feature, Kind kind, List<JsonNode> group, Optional<String> rowText) {
    return switch (kind) {
      case BOX, POLYGON, LINE, POINT -> {
        List<String> scores = new ArrayList<>();
        group.forEach(line -> score(line).ifPresent(score -> scores.add(score(score))));
        yield feature
            + (group.size() > 1 ? " x" + group.size() : "")
            + (scores.isEmpty() ? "" : " (" + String.join(", ", scores) + ")");
      }
      case MASK -> {
        double covered = 0;
        boolean known = true;
        for (JsonNode line : group) {
          OptionalDouble share = coverage(line);
          known &= share.isPresent();
          covered += share.orElse(0);
        }
        String masks = group.size() == 1 ? " mask" : " " + group.size() + " masks";
        yield feature
            + masks
            + (known ? " " + percent(Math.min(1, covered)) + " of the image" : "");
      }
      case SPAN ->
          feature
              + ": "
              + group.stream().map(line -> span(line, rowText)).collect(Collectors.joining(", "));
      case ANSWER -> feature;
    };
  }

  private static String span(JsonNode line, Optional<String> rowText) {
    int start = line.path("location").path("start").asInt(-1);
    int end = line.path("location").path("end").asInt(-1);
    // The export's end is the last character of the span, not the one after it.
    if (rowText.isPresent() && start >= 0 && end >= start && end < rowText.get().length()) {
      return rowText.get().substring(start, end + 1);
    }
    return "characters " + start + ".." + end;
  }

  private static String answer(JsonNode answer) {
    if (answer.isString()) {
      return quote(answer.asString());
    }
    if (answer.isArray()) {
      List<String> values = new ArrayList<>();
      answer.forEach(choice -> values.add(choice.path("name").asString("?")));
      return values.isEmpty() ? "none" : String.join(", ", values);
    }
    return answer.path("name").asString("?");
  }

  private static OptionalDouble score(JsonNode line) {
    JsonNode confidence = line.path("confidence");
    return confidence.isNumber()
        ? OptionalDouble.of(confidence.asDouble())
        : OptionalDouble.empty();
  }

  private static String score(double score) {
    return BigDecimal.valueOf(score).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }

  private static String percent(double share) {
    double percent = share * 100;
    return (percent > 0 && percent < 1 ? "<1" : String.valueOf(Math.round(percent))) + "%";
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value)
        .setScale(1, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String quote(String text) {
    String oneLine = text.replace("\n", " ").strip();
    return "\""
        + (oneLine.length() > TEXT_SHOWN ? oneLine.substring(0, TEXT_SHOWN - 3) + "..." : oneLine)
        + "\"";
  }
}
