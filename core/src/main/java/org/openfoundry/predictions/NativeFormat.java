package org.openfoundry.predictions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import tools.jackson.databind.JsonNode;

/**
 * Reads the feature-keyed wire shapes: {@code {"boxes": [...], "scores": [...]}} and its kin for
 * tools, a list of spans for named entities, and plain strings or lists of strings for
 * classifications.
 */
final class NativeFormat {
  private static final Set<String> SPAN_KEYS = Set.of("start", "end", "text", "score");

  private final ParseRun run;

  NativeFormat(ParseRun run) {
    this.run = run;
  }

  /** Reads the value of response key {@code key}, which names {@code feature}. */
  void read(String key, Feature feature, JsonNode value) {
    if (value.isNull()) {
      return;
    }
    String name = feature.name();
    switch (feature.kind()) {
      case RECTANGLE ->
          objects(key, feature, value, "boxes", "[[left, top, width, height], ...]", this::box);
      case RASTER_SEGMENTATION ->
          objects(key, feature, value, "masks", "[" + Masks.SHAPE + ", ...]", this::mask);
      case POLYGON ->
          objects(key, feature, value, "polygons", "[[[x, y], ...], ...]", this::polygon);
      case POINT -> objects(key, feature, value, "points", "[[x, y], ...]", this::point);
      case EDGE -> objects(key, feature, value, "lines", "[[[x, y], ...], ...]", this::line);
      case NAMED_ENTITY -> spans(key, name, value);
      case RADIO -> radio(key, (Classification) feature, value);
      case CHECKLIST -> checklist(key, (Classification) feature, value);
      case TEXT -> text(key, name, value);
    }
  }

  /** Reads one element of a tool's list into a prediction, or records why it cannot. */
  @FunctionalInterface
  private interface ElementReader {
    Optional<Prediction> read(String feature, JsonNode element, String path, OptionalDouble score);
  }

  private void objects(
      String key,
      Feature feature,
      JsonNode value,
      String listKey,
      String listShape,
      ElementReader reader) {
    String shape = "{\"" + listKey + "\": " + listShape + ", \"scores\": [...]}";
    if (!value.isObject() || !value.has(listKey)) {
      run.error(key, wrongShape(feature, shape, value));
      return;
    }
    for (String other : value.propertyNames()) {
      if (!other.equals(listKey) && !other.equals("scores")) {
        run.warning(
            key + "." + other,
            "ignored: a "
                + feature.kind().word()
                + " feature reads only \""
                + listKey
                + "\" and \"scores\"");
      }
    }
    JsonNode items = value.get(listKey);
    String itemsPath = key + "." + listKey;
    if (!items.isArray()) {
      run.error(itemsPath, "expected a list " + listShape + ", got " + Values.describe(items));
      return;
    }
    List<Optional<OptionalDouble>> scores = scores(key, value.get("scores"), items.size(), listKey);
    for (int index = 0; index < items.size(); index++) {
      Optional<OptionalDouble> score = scores.get(index);
      if (score.isEmpty()) {
        continue;
      }
      String path = itemsPath + "[" + index + "]";
      reader
          .read(feature.name(), items.get(index), path, score.get())
          .ifPresent(prediction -> run.accept(prediction, path));
    }
  }

  /** One score per item; an empty entry marks an item whose score is invalid (and reported). */
  private List<Optional<OptionalDouble>> scores(
      String key, JsonNode scores, int count, String listKey) {
    List<Optional<OptionalDouble>> read = new ArrayList<>(count);
    String path = key + ".scores";
    boolean listed = scores != null && !scores.isNull();
    if (listed && !scores.isArray()) {
      run.error(
          path,
          "expected a list of scores between 0 and 1, one per item of \""
              + listKey
              + "\", got "
              + Values.describe(scores)
              + "; the items are kept unscored");
      listed = false;
    }
    if (listed && scores.size() != count) {
      run.warning(
          path,
          "has "
              + scores.size()
              + (scores.size() == 1 ? " score" : " scores")
              + " for "
              + count
              + (count == 1 ? " item" : " items")
              + " of \""
              + listKey
              + "\"; "
              + (scores.size() < count
                  ? "the items without a score are kept unscored"
                  : "the extra scores are ignored"));
    }
    for (int index = 0; index < count; index++) {
      if (listed && index < scores.size()) {
        read.add(Values.score(scores.get(index), path + "[" + index + "]", run));
      } else {
        read.add(Optional.of(OptionalDouble.empty()));
      }
    }
    return read;
  }

  private Optional<Prediction> box(
      String feature, JsonNode element, String path, OptionalDouble score) {
    if (!element.isArray() || element.size() != 4) {
      run.error(path, "expected a box [left, top, width, height], got " + Values.describe(element));
      return Optional.empty();
    }
    OptionalDouble left = Values.coordinate(element.get(0), path + "[0]", run);
    OptionalDouble top = Values.coordinate(element.get(1), path + "[1]", run);
    OptionalDouble width = Values.number(element.get(2), path + "[2]", run);
    OptionalDouble height = Values.number(element.get(3), path + "[3]", run);
    if (left.isEmpty() || top.isEmpty() || width.isEmpty() || height.isEmpty()) {
      return Optional.empty();
    }
    double[] box = {
      left.getAsDouble(), top.getAsDouble(), width.getAsDouble(), height.getAsDouble()
    };
    return Spatial.box(feature, box, score, List.of(), path, run);
  }

  private Optional<Prediction> mask(
      String feature, JsonNode element, String path, OptionalDouble score) {
    return Masks.rle(element, path, run)
        .map(mask -> new Mask(feature, Masks.warnIfEmpty(mask, path, run), score, List.of()));
  }

  private Optional<Prediction> point(
      String feature, JsonNode element, String path, OptionalDouble score) {
    return Values.pair(element, path, run)
        .flatMap(at -> Spatial.point(feature, at, score, List.of(), path, run));
  }

  private Optional<Prediction> polygon(
      String feature, JsonNode element, String path, OptionalDouble score) {
    return vertices(element, path)
        .flatMap(vertices -> Spatial.polygon(feature, vertices, score, List.of(), path, run));
  }

  private Optional<Prediction> line(
      String feature, JsonNode element, String path, OptionalDouble score) {
    return vertices(element, path)
        .flatMap(vertices -> Spatial.line(feature, vertices, score, List.of(), path, run));
  }

  private Optional<List<Vertex>> vertices(JsonNode element, String path) {
    if (!element.isArray()) {
      run.error(path, "expected a list of points [[x, y], ...], got " + Values.describe(element));
      return Optional.empty();
    }
    List<Vertex> vertices = new ArrayList<>(element.size());
    boolean valid = true;
    for (int index = 0; index < element.size(); index++) {
      Optional<Vertex> vertex = Values.pair(element.get(index), path + "[" + index + "]", run);
      vertex.ifPresent(vertices::add);
      valid &= vertex.isPresent();
    }
    return valid ? Optional.of(vertices) : Optional.empty();
  }

  private void spans(String key, String feature, JsonNode value) {
    if (!value.isArray()) {
      run.error(
          key,
          "expected a list of spans [{\"start\": 0, \"end\": 3, \"text\": \"Tom\"}, ...] for "
              + "named-entity feature "
              + feature
              + ", got "
              + Values.describe(value));
      return;
    }
    for (int index = 0; index < value.size(); index++) {
      String path = key + "[" + index + "]";
      span(feature, value.get(index), path).ifPresent(prediction -> run.accept(prediction, path));
    }
  }

  private Optional<Prediction> span(String feature, JsonNode element, String path) {
    if (!element.isObject() || !element.has("start") || !element.has("end")) {
      run.error(
          path,
          "expected a span {\"start\": ..., \"end\": ..., \"text\": ...}, got "
              + Values.describe(element));
      return Optional.empty();
    }
    for (String other : element.propertyNames()) {
      if (!SPAN_KEYS.contains(other)) {
        run.warning(path + "." + other, "ignored: a span reads start, end, text and score");
      }
    }
    OptionalInt start = Values.offset(element.get("start"), path + ".start", run);
    OptionalInt end = Values.offset(element.get("end"), path + ".end", run);
    Optional<OptionalDouble> score = Values.score(element.get("score"), path + ".score", run);
    JsonNode text = element.get("text");
    boolean textValid = text == null || text.isNull() || text.isString();
    if (!textValid) {
      run.error(
          path + ".text", "expected the span's text as a string, got " + Values.describe(text));
    }
    if (start.isEmpty() || end.isEmpty() || score.isEmpty() || !textValid) {
      return Optional.empty();
    }
    Optional<String> covered =
        text == null || text.isNull() ? Optional.empty() : Optional.of(text.stringValue());
    return EntitySpans.span(
        feature,
        new EntitySpans.Offsets(start.getAsInt(), end.getAsInt()),
        covered,
        score.get(),
        List.of(),
        path,
        run);
  }

  private void radio(String key, Classification question, JsonNode value) {
    if (!value.isString()) {
      run.error(key, wrongShape(question, "an option value as a string", value));
      return;
    }
    Answers.option(question, value.stringValue(), key, run)
        .ifPresent(
            option ->
                run.accept(
                    new Radio(question.name(), Choice.of(option.value()), OptionalDouble.empty()),
                    key));
  }

  private void checklist(String key, Classification question, JsonNode value) {
    if (!value.isArray()) {
      run.error(key, wrongShape(question, "a list of option values [\"a\", \"b\"]", value));
      return;
    }
    List<Choice> choices = new ArrayList<>();
    for (int index = 0; index < value.size(); index++) {
      JsonNode element = value.get(index);
      String path = key + "[" + index + "]";
      if (!element.isString()) {
        run.error(path, "expected an option value as a string, got " + Values.describe(element));
        continue;
      }
      Answers.option(question, element.stringValue(), path, run)
          .ifPresent(option -> choices.add(Choice.of(option.value())));
    }
    if (value.isEmpty()) {
      run.warning(key, "no option chosen: the checklist answer is empty");
      return;
    }
    if (!choices.isEmpty()) {
      run.accept(
          new Checklist(
              question.name(), Answers.distinct(choices, key, run), OptionalDouble.empty()),
          key);
    }
  }

  private void text(String key, String feature, JsonNode value) {
    if (!value.isString()) {
      run.error(
          key,
          "expected the answer of free-text feature "
              + feature
              + " as a string, got "
              + Values.describe(value));
      return;
    }
    run.accept(new FreeText(feature, value.stringValue(), OptionalDouble.empty()), key);
  }

  private static String wrongShape(Feature feature, String shape, JsonNode value) {
    return "expected "
        + shape
        + " for "
        + feature.kind().word()
        + " feature "
        + feature.name()
        + ", got "
        + Values.describe(value);
  }
}
