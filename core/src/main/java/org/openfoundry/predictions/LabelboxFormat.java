package org.openfoundry.predictions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.Suggestions;
import org.openfoundry.rle.RleMask;
import tools.jackson.databind.JsonNode;

/**
 * Reads the Labelbox annotation format: {@code objects} (tools, with their geometry under {@code
 * bounding_box}, {@code polygon}, {@code point}, {@code line}, {@code mask} or {@code location})
 * and {@code classifications} (with {@code radio_answer}, {@code checklist_answers} or {@code
 * text_answer}), nested classifications included. The older {@code title}/{@code bbox}/{@code
 * answer}/{@code answers} spelling is accepted too.
 */
final class LabelboxFormat {
  private static final String[] NAME_KEYS = {"name", "value", "title"};

  private final ParseRun run;

  LabelboxFormat(ParseRun run) {
    this.run = run;
  }

  void objects(JsonNode objects, String path) {
    for (int index = 0; index < objects.size(); index++) {
      String objectPath = path + "[" + index + "]";
      JsonNode object = objects.get(index);
      if (!object.isObject()) {
        run.error(objectPath, "expected an object annotation, got " + Values.describe(object));
        continue;
      }
      Optional<Feature> feature = topLevel(object, objectPath);
      if (feature.isEmpty()) {
        continue;
      }
      if (!(feature.get() instanceof Tool tool)) {
        run.error(
            objectPath,
            feature.get().name()
                + " is a "
                + feature.get().kind().word()
                + " classification; objects hold tools, classifications go under"
                + " \"classifications\"");
        continue;
      }
      object(tool, object, objectPath).ifPresent(prediction -> run.accept(prediction, objectPath));
    }
  }

  void classifications(JsonNode classifications, String path) {
    for (int index = 0; index < classifications.size(); index++) {
      String itemPath = path + "[" + index + "]";
      JsonNode item = classifications.get(index);
      if (!item.isObject()) {
        run.error(itemPath, "expected a classification annotation, got " + Values.describe(item));
        continue;
      }
      Optional<Feature> feature = topLevel(item, itemPath);
      if (feature.isEmpty()) {
        continue;
      }
      if (!(feature.get() instanceof Classification question)) {
        run.error(
            itemPath,
            feature.get().name()
                + " is a "
                + feature.get().kind().word()
                + " tool; classifications hold questions, tools go under \"objects\"");
        continue;
      }
      answer(question, item, itemPath).ifPresent(answer -> run.accept(answer, itemPath));
    }
  }

  private Optional<Feature> topLevel(JsonNode annotation, String path) {
    List<String> names = names(annotation);
    if (names.isEmpty()) {
      run.error(path, "expected the feature's \"name\", got " + Values.describe(annotation));
      return Optional.empty();
    }
    for (String name : names) {
      Optional<Feature> feature = run.resolver().resolve(name);
      if (feature.isPresent()) {
        return feature;
      }
    }
    run.error(path, run.resolver().unknown(names.getFirst()));
    return Optional.empty();
  }

  private static List<String> names(JsonNode annotation) {
    List<String> names = new ArrayList<>();
    for (String key : NAME_KEYS) {
      JsonNode name = annotation.get(key);
      if (name != null && name.isString() && !names.contains(name.stringValue())) {
        names.add(name.stringValue());
      }
    }
    return names;
  }

  private Optional<Prediction> object(Tool tool, JsonNode object, String path) {
    Optional<OptionalDouble> score = score(object, path);
    if (score.isEmpty()) {
      return Optional.empty();
    }
    List<ClassificationAnswer> nested =
        nested(object.get("classifications"), tool.classifications(), tool.name(), path);
    String feature = tool.name();
    return switch (tool.kind()) {
      case RECTANGLE ->
          geometry(
                  object,
                  path,
                  tool,
                  "bounding_box {\"top\", \"left\", \"height\", \"width\"}",
                  "bounding_box",
                  "bbox")
              .flatMap(entry -> box(entry.getValue(), path + "." + entry.getKey()))
              .flatMap(box -> Spatial.box(feature, box, score.get(), nested, path, run));
      case POLYGON ->
          geometry(object, path, tool, "polygon [{\"x\", \"y\"}, ...]", "polygon")
              .flatMap(entry -> vertices(entry.getValue(), path + "." + entry.getKey()))
              .flatMap(
                  vertices -> Spatial.polygon(feature, vertices, score.get(), nested, path, run));
      case EDGE ->
          geometry(object, path, tool, "line [{\"x\", \"y\"}, ...]", "line")
              .flatMap(entry -> vertices(entry.getValue(), path + "." + entry.getKey()))
              .flatMap(vertices -> Spatial.line(feature, vertices, score.get(), nested, path, run));
      case POINT ->
          geometry(object, path, tool, "point {\"x\", \"y\"}", "point")
              .flatMap(entry -> Values.xy(entry.getValue(), path + "." + entry.getKey(), run))
              .flatMap(at -> Spatial.point(feature, at, score.get(), nested, path, run));
      case RASTER_SEGMENTATION ->
          geometry(object, path, tool, "mask " + Masks.SHAPE, "mask")
              .flatMap(entry -> mask(entry.getValue(), path + "." + entry.getKey()))
              .map(mask -> new Mask(feature, mask, score.get(), nested));
      case NAMED_ENTITY ->
          geometry(object, path, tool, "location {\"start\", \"end\"}", "location")
              .flatMap(
                  entry ->
                      span(
                          feature,
                          entry.getValue(),
                          path + "." + entry.getKey(),
                          score.get(),
                          nested));
      case TEXT, RADIO, CHECKLIST ->
          throw new IllegalStateException("tool " + feature + " has kind " + tool.kind());
    };
  }

  private Optional<Map.Entry<String, JsonNode>> geometry(
      JsonNode object, String path, Tool tool, String expected, String... keys) {
    Optional<Map.Entry<String, JsonNode>> found = Values.firstPresent(object, keys);
    if (found.isEmpty()) {
      run.error(
          path,
          "expected "
              + expected
              + " for "
              + tool.kind().word()
              + " feature "
              + tool.name()
              + ", got "
              + Values.describe(object));
    }
    return found;
  }

  private Optional<double[]> box(JsonNode box, String path) {
    if (!box.isObject()) {
      run.error(
          path, "expected {\"top\", \"left\", \"height\", \"width\"}, got " + Values.describe(box));
      return Optional.empty();
    }
    OptionalDouble left = Values.coordinate(box.get("left"), path + ".left", run);
    OptionalDouble top = Values.coordinate(box.get("top"), path + ".top", run);
    OptionalDouble width = Values.number(box.get("width"), path + ".width", run);
    OptionalDouble height = Values.number(box.get("height"), path + ".height", run);
    if (left.isEmpty() || top.isEmpty() || width.isEmpty() || height.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new double[] {
          left.getAsDouble(), top.getAsDouble(), width.getAsDouble(), height.getAsDouble()
        });
  }

  private Optional<List<Vertex>> vertices(JsonNode points, String path) {
    if (!points.isArray()) {
      run.error(
          path, "expected a list of points [{\"x\", \"y\"}, ...], got " + Values.describe(points));
      return Optional.empty();
    }
    List<Vertex> vertices = new ArrayList<>(points.size());
    boolean valid = true;
    for (int index = 0; index < points.size(); index++) {
      Optional<Vertex> vertex = Values.xy(points.get(index), path + "[" + index + "]", run);
      vertex.ifPresent(vertices::add);
      valid &= vertex.isPresent();
    }
    return valid ? Optional.of(vertices) : Optional.empty();
  }

  private Optional<RleMask> mask(JsonNode mask, String path) {
    Optional<RleMask> read =
        mask.isObject() && mask.has("png")
            ? Masks.png(mask.get("png"), path + ".png", run)
            : Masks.rle(mask, path, run);
    return read.map(found -> Masks.warnIfEmpty(found, path, run));
  }

  /** Labelbox locations end inclusive; the span's {@code token}, when given, is its text. */
  private Optional<Prediction> span(
      String feature,
      JsonNode location,
      String path,
      OptionalDouble score,
      List<ClassificationAnswer> nested) {
    if (!location.isObject()) {
      run.error(path, "expected {\"start\", \"end\"}, got " + Values.describe(location));
      return Optional.empty();
    }
    OptionalInt start = Values.offset(location.get("start"), path + ".start", run);
    OptionalInt end = Values.offset(location.get("end"), path + ".end", run);
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> token = Values.firstString(location, "token", "text");
    return EntitySpans.span(
        feature,
        new EntitySpans.Offsets(start.getAsInt(), end.getAsInt() + 1),
        token,
        score,
        nested,
        path,
        run);
  }

  private Optional<OptionalDouble> score(JsonNode annotation, String path) {
    Optional<Map.Entry<String, JsonNode>> given =
        Values.firstPresent(annotation, "confidence", "score");
    if (given.isEmpty()) {
      return Optional.of(OptionalDouble.empty());
    }
    return Values.score(given.get().getValue(), path + "." + given.get().getKey(), run);
  }

  /** Answers to questions nested under a tool or an option; a bad one is reported and skipped. */
  private List<ClassificationAnswer> nested(
      JsonNode list, List<Classification> questions, String owner, String path) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    String listPath = path + ".classifications";
    if (!list.isArray()) {
      run.error(
          listPath, "expected a list of classification answers, got " + Values.describe(list));
      return List.of();
    }
    List<ClassificationAnswer> answers = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    for (int index = 0; index < list.size(); index++) {
      String itemPath = listPath + "[" + index + "]";
      JsonNode item = list.get(index);
      if (!item.isObject()) {
        run.error(itemPath, "expected a classification answer, got " + Values.describe(item));
        continue;
      }
      Optional<Classification> question = nestedQuestion(item, questions, owner, itemPath);
      if (question.isEmpty()) {
        continue;
      }
      if (answered.contains(question.get().name())) {
        run.error(
            itemPath,
            "a second answer to question "
                + question.get().name()
                + "; a question takes one answer, and the first one is kept");
        continue;
      }
      Optional<ClassificationAnswer> answer = answer(question.get(), item, itemPath);
      if (answer.isPresent()) {
        answered.add(question.get().name());
        answers.add(answer.get());
      }
    }
    return answers;
  }

  private Optional<Classification> nestedQuestion(
      JsonNode item, List<Classification> questions, String owner, String path) {
    List<String> names = names(item);
    if (names.isEmpty()) {
      run.error(path, "expected the question's \"name\", got " + Values.describe(item));
      return Optional.empty();
    }
    for (String name : names) {
      Optional<Classification> exact =
          questions.stream().filter(question -> question.name().equals(name)).findFirst();
      Optional<Classification> found =
          exact.or(
              () ->
                  questions.stream()
                      .filter(question -> question.name().equalsIgnoreCase(name))
                      .findFirst());
      if (found.isPresent()) {
        return found;
      }
    }
    List<String> known = questions.stream().map(Classification::name).toList();
    run.error(
        path,
        "unknown question \""
            + names.getFirst()
            + "\" under "
            + owner
            + (known.isEmpty()
                ? ", which has no nested questions"
                : "; expected one of "
                    + Values.list(known)
                    + Suggestions.didYouMean(names.getFirst(), known)));
    return Optional.empty();
  }

  private Optional<ClassificationAnswer> answer(
      Classification question, JsonNode item, String path) {
    Optional<OptionalDouble> score = score(item, path);
    if (score.isEmpty()) {
      return Optional.empty();
    }
    return switch (question.kind()) {
      case RADIO -> radio(question, item, path, score.get());
      case CHECKLIST -> checklist(question, item, path, score.get());
      case TEXT -> text(question, item, path, score.get());
      case RECTANGLE, RASTER_SEGMENTATION, NAMED_ENTITY, POLYGON, POINT, EDGE ->
          throw new IllegalStateException(
              "classification " + question.name() + " has kind " + question.kind());
    };
  }

  private Optional<ClassificationAnswer> radio(
      Classification question, JsonNode item, String path, OptionalDouble score) {
    Optional<Map.Entry<String, JsonNode>> given =
        Values.firstPresent(item, "radio_answer", "answer");
    if (given.isEmpty()) {
      run.error(
          path,
          "expected radio_answer {\"name\": ...} for radio question "
              + question.name()
              + ", got "
              + Values.describe(item));
      return Optional.empty();
    }
    JsonNode answer = given.get().getValue();
    String answerPath = path + "." + given.get().getKey();
    Optional<OptionalDouble> answerScore =
        score.isPresent() || !answer.isObject() ? Optional.of(score) : score(answer, answerPath);
    if (answerScore.isEmpty()) {
      return Optional.empty();
    }
    return choice(question, answer, answerPath)
        .map(choice -> new Radio(question.name(), choice, answerScore.get()));
  }

  private Optional<ClassificationAnswer> checklist(
      Classification question, JsonNode item, String path, OptionalDouble score) {
    Optional<Map.Entry<String, JsonNode>> given =
        Values.firstPresent(item, "checklist_answers", "answers", "answer");
    if (given.isEmpty() || !given.get().getValue().isArray()) {
      run.error(
          given.map(entry -> path + "." + entry.getKey()).orElse(path),
          "expected checklist_answers [{\"name\": ...}, ...] for checklist question "
              + question.name()
              + ", got "
              + Values.describe(given.map(Map.Entry::getValue).orElse(item)));
      return Optional.empty();
    }
    JsonNode answers = given.get().getValue();
    String answersPath = path + "." + given.get().getKey();
    if (answers.isEmpty()) {
      run.warning(answersPath, "no option chosen: the checklist answer is empty");
      return Optional.empty();
    }
    List<Choice> choices = new ArrayList<>();
    for (int index = 0; index < answers.size(); index++) {
      choice(question, answers.get(index), answersPath + "[" + index + "]").ifPresent(choices::add);
    }
    if (choices.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Checklist(question.name(), Answers.distinct(choices, answersPath, run), score));
  }

  private Optional<ClassificationAnswer> text(
      Classification question, JsonNode item, String path, OptionalDouble score) {
    JsonNode textAnswer = item.get("text_answer");
    if (textAnswer != null && textAnswer.isObject() && textAnswer.path("content").isString()) {
      return Optional.of(
          new FreeText(question.name(), textAnswer.get("content").stringValue(), score));
    }
    JsonNode answer = item.get("answer");
    if (answer != null && answer.isString()) {
      return Optional.of(new FreeText(question.name(), answer.stringValue(), score));
    }
    run.error(
        path,
        "expected text_answer {\"content\": \"...\"} or answer \"...\" for free-text question "
            + question.name()
            + ", got "
            + Values.describe(textAnswer != null ? textAnswer : item));
    return Optional.empty();
  }

  /** One option of a radio or checklist answer, named by a string or an object's name. */
  private Optional<Choice> choice(Classification question, JsonNode answer, String path) {
    if (answer.isString()) {
      return Answers.option(question, answer.stringValue(), path, run)
          .map(option -> Choice.of(option.value()));
    }
    if (!answer.isObject() || names(answer).isEmpty()) {
      run.error(path, "expected an answer {\"name\": ...}, got " + Values.describe(answer));
      return Optional.empty();
    }
    List<String> names = names(answer);
    Optional<Option> option =
        names.stream()
            .map(name -> question.option(name))
            .flatMap(Optional::stream)
            .findFirst()
            .or(() -> Answers.option(question, names.getFirst(), path, run));
    return option.map(
        found ->
            new Choice(
                found.value(),
                nested(answer.get("classifications"), found.options(), found.value(), path)));
  }
}
