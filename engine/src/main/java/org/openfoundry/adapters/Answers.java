package org.openfoundry.adapters;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps a model's answer for a data row onto our task response: a JSON object is taken as the
 * response (the parser then checks it against the ontology); free text goes to the ontology's text
 * classification. Also writes the instructions that ask a language model for that JSON.
 */
final class Answers {
  private static final Pattern FENCE =
      Pattern.compile("^```[a-zA-Z]*\\s*\\n(.*?)\\n?```$", Pattern.DOTALL);

  private final AnswerMode mode;
  private final Optional<String> textFeature;

  Answers(AnswerMode mode, Optional<String> textFeature) {
    this.mode = mode;
    this.textFeature = textFeature;
  }

  static Answers read(Options options) {
    return new Answers(
        options.choice("answer", AnswerMode.AUTO, AnswerMode.WORDS),
        options.string("text_feature"));
  }

  AnswerMode mode() {
    return mode;
  }

  /** An answer that came as text (an LLM's message content). */
  ObjectNode fromText(String text, Ontology ontology, String path, Call call) {
    if (mode != AnswerMode.TEXT) {
      Optional<ObjectNode> object = jsonObject(text);
      if (object.isPresent()) {
        return object.get();
      }
      if (mode == AnswerMode.JSON) {
        throw call.invalid(
            path,
            "expected a JSON object keyed by feature names, got \"" + Json.shorten(text) + "\"");
      }
    }
    String feature =
        textFeature
            .or(() -> textClassification(ontology))
            .orElseThrow(
                () ->
                    call.invalid(
                        path,
                        "the model answered free text, but the ontology has no single text"
                            + " classification to hold it: add one or set adapter_options.text_feature"));
    ObjectNode response = Json.object();
    response.put(feature, text);
    return response;
  }

  /** An answer that came as JSON: an object is the response, text is read as above. */
  ObjectNode fromValue(JsonNode value, Ontology ontology, String path, Call call) {
    if (value.isObject()) {
      if (mode == AnswerMode.TEXT) {
        throw call.invalid(path, "expected text (adapter_options.answer is text), got an object");
      }
      return ((ObjectNode) value).deepCopy();
    }
    if (value.isString()) {
      return fromText(value.stringValue(), ontology, path, call);
    }
    if (value.isArray() && !value.isEmpty()) {
      StringBuilder joined = new StringBuilder();
      for (JsonNode piece : value) {
        if (!piece.isString()) {
          return fromValue(value.get(0), ontology, path + "[0]", call);
        }
        joined.append(piece.stringValue());
      }
      // Streaming text models answer a list of tokens.
      return fromText(joined.toString(), ontology, path, call);
    }
    throw call.invalid(
        path, "expected a JSON object keyed by feature names or text, got " + Json.describe(value));
  }

  private static Optional<ObjectNode> jsonObject(String text) {
    String trimmed = text.strip();
    Matcher fenced = FENCE.matcher(trimmed);
    if (fenced.matches()) {
      trimmed = fenced.group(1).strip();
    }
    if (!trimmed.startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.ANSWERS.readTree(trimmed);
      return node.isObject() ? Optional.of((ObjectNode) node) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> textClassification(Ontology ontology) {
    List<Classification> texts =
        ontology.classifications().stream()
            .filter(classification -> classification.kind() == FeatureKind.TEXT)
            .toList();
    return texts.size() == 1 ? Optional.of(texts.getFirst().name()) : Optional.empty();
  }

  /** What a language model is told to answer, feature by feature. */
  static String instructions(Ontology ontology) {
    String features =
        ontology.features().stream().map(Answers::describe).collect(Collectors.joining("\n"));
    return "Answer with one JSON object and nothing else. Its keys are feature names; leave out"
        + " a feature that is not present.\n"
        + features;
  }

  private static String describe(Feature feature) {
    String value =
        switch (feature) {
          case Tool tool -> toolShape(tool.kind());
          case Classification classification -> classificationShape(classification);
        };
    return "- \"" + feature.name() + "\": " + value;
  }

  private static String toolShape(FeatureKind kind) {
    return switch (kind) {
      case RECTANGLE ->
          "{\"boxes\": [[left, top, width, height], ...], \"scores\": [confidence, ...]} in pixels";
      case RASTER_SEGMENTATION ->
          "{\"masks\": [{\"size\": [height, width], \"counts\": COCO RLE}], \"scores\": [...]}";
      case POLYGON -> "{\"polygons\": [[[x, y], ...], ...]} in pixels";
      case POINT -> "{\"points\": [[x, y], ...]} in pixels";
      case EDGE -> "{\"lines\": [[[x, y], ...], ...]} in pixels";
      case NAMED_ENTITY ->
          "[{\"start\": offset, \"end\": offset, \"text\": the text}, ...], character offsets"
              + " into the text, end exclusive";
      case TEXT, RADIO, CHECKLIST -> "a value";
    };
  }

  private static String classificationShape(Classification classification) {
    String values =
        classification.options().stream()
            .map(Option::value)
            .map(value -> "\"" + value + "\"")
            .collect(Collectors.joining(", "));
    String question =
        classification.instructions().isBlank()
                || classification.instructions().equals(classification.name())
            ? ""
            : " (" + classification.instructions() + ")";
    return switch (classification.kind()) {
      case RADIO -> "one of " + values + question;
      case CHECKLIST -> "a list of any of " + values + question;
      case TEXT -> "free text" + question;
      case RECTANGLE, RASTER_SEGMENTATION, NAMED_ENTITY, POLYGON, POINT, EDGE ->
          "a value" + question;
    };
  }
}
