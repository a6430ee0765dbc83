package org.openfoundry.examples.endpoint;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One task request: {@code {"data_row": {...}, "ontology": {...}, "inference_params": {...}}}. An
 * absent or empty ontology asks for every feature the model has.
 */
public record ModelRequest(DataRowRef dataRow, Ontology ontology, InferenceParams params) {
  public ModelRequest {
    requireNonNull(dataRow, "dataRow is null");
    requireNonNull(ontology, "ontology is null");
    requireNonNull(params, "params is null");
  }

  /**
   * The features to answer: those of the request's ontology that the model knows by name (as the
   * request spells them, with its kinds and options), or all of {@code known} when the request
   * names no feature at all. Names the model does not know are left unanswered.
   */
  public List<Feature> featuresToAnswer(List<? extends Feature> known) {
    if (ontology.isEmpty()) {
      return List.copyOf(known);
    }
    return ontology.features().stream()
        .filter(
            wanted ->
                known.stream().anyMatch(feature -> feature.name().equalsIgnoreCase(wanted.name())))
        .toList();
  }

  /** Reads a request body, reporting every problem at once with its path. */
  public static ModelRequest parse(JsonNode body) {
    Problems problems = new Problems();
    if (body == null || !body.isObject()) {
      problems.error("", "expected a JSON object, got " + Json.kind(body));
      problems.throwIfErrors(ErrorCode.INVALID_INPUT, "bad request body");
    }
    DataRowRef row = dataRow(body.get("data_row"), problems);
    Ontology ontology = ontology(body.get("ontology"), problems);
    InferenceParams params = params(body.get("inference_params"), problems);
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "bad request body");
    return new ModelRequest(row, ontology, params);
  }

  private static DataRowRef dataRow(JsonNode node, Problems problems) {
    if (node == null || !node.isObject()) {
      problems.error("data_row", "expected an object with row_data, got " + Json.kind(node));
      return null;
    }
    JsonNode rowData = node.get("row_data");
    if (rowData == null || !rowData.isString()) {
      problems.error(
          "data_row.row_data",
          "expected a string (a URL, or the text itself), got " + Json.quote(rowData));
    }
    Optional<String> id = optionalString(node, "id", "data_row.id", problems);
    Optional<String> globalKey =
        optionalString(node, "global_key", "data_row.global_key", problems);
    if (rowData == null || !rowData.isString()) {
      return null;
    }
    return new DataRowRef(id, globalKey, rowData.stringValue());
  }

  private static Optional<String> optionalString(
      JsonNode parent, String name, String path, Problems problems) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isString()) {
      problems.error(path, "expected a string, got " + Json.quote(value));
      return Optional.empty();
    }
    return Optional.of(value.stringValue());
  }

  private static InferenceParams params(JsonNode node, Problems problems) {
    if (node == null || node.isNull()) {
      return InferenceParams.none();
    }
    if (!node.isObject()) {
      problems.error("inference_params", "expected an object, got " + Json.kind(node));
      return InferenceParams.none();
    }
    return new InferenceParams((ObjectNode) node);
  }

  private static Ontology ontology(JsonNode node, Problems problems) {
    if (node == null || node.isNull()) {
      return Ontology.empty();
    }
    if (!node.isObject()) {
      problems.error("ontology", "expected an object, got " + Json.kind(node));
      return Ontology.empty();
    }
    Optional<AssetType> mediaType = Optional.empty();
    JsonNode media = node.get("media_type");
    if (media != null && !media.isNull()) {
      mediaType = media.isString() ? AssetType.parse(media.stringValue()) : Optional.empty();
      if (mediaType.isEmpty()) {
        problems.error("ontology.media_type", "expected an asset type, got " + Json.quote(media));
      }
    }
    List<Tool> tools = new ArrayList<>();
    forEachElement(
        node, "tools", problems, element -> tool(element, problems).ifPresent(tools::add));
    List<Classification> classifications = new ArrayList<>();
    forEachElement(
        node,
        "classifications",
        problems,
        element -> classification(element, problems).ifPresent(classifications::add));
    return new Ontology(mediaType, tools, classifications);
  }

  private record Element(String path, JsonNode node) {}

  /** Reads an ontology array in order, so that problems are reported in document order. */
  private static void forEachElement(
      JsonNode parent, String name, Problems problems, Consumer<Element> reader) {
    String path = "ontology." + name;
    JsonNode array = parent.get(name);
    if (array == null || array.isNull()) {
      return;
    }
    if (!array.isArray()) {
      problems.error(path, "expected an array, got " + Json.kind(array));
      return;
    }
    for (int index = 0; index < array.size(); index++) {
      JsonNode element = array.get(index);
      String elementPath = path + "[" + index + "]";
      if (!element.isObject()) {
        problems.error(elementPath, "expected an object, got " + Json.kind(element));
        continue;
      }
      reader.accept(new Element(elementPath, element));
    }
  }

  private static Optional<Tool> tool(Element element, Problems problems) {
    Optional<String> name = requiredString(element, "name", problems);
    Optional<FeatureKind> kind =
        requiredString(element, "tool", problems)
            .flatMap(word -> kind(element.path() + ".tool", word, true, problems));
    if (name.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Tool.of(name.get(), kind.get()));
  }

  private static Optional<Classification> classification(Element element, Problems problems) {
    Optional<String> name = requiredString(element, "name", problems);
    Optional<FeatureKind> kind =
        requiredString(element, "type", problems)
            .flatMap(word -> kind(element.path() + ".type", word, false, problems));
    List<Option> options = new ArrayList<>();
    for (Element option : optionElements(element, problems)) {
      JsonNode value = option.node().get("value");
      JsonNode label = option.node().get("label");
      if ((value == null || !value.isString()) && (label == null || !label.isString())) {
        problems.error(
            option.path(), "expected a value or a label, got " + Json.quote(option.node()));
        continue;
      }
      String valueText =
          value != null && value.isString() ? value.stringValue() : label.stringValue();
      String labelText = label != null && label.isString() ? label.stringValue() : valueText;
      options.add(new Option(labelText, valueText, options.size(), List.of()));
    }
    if (name.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    String instructions = element.node().path("instructions").asString(name.get());
    return Optional.of(new Classification(name.get(), instructions, kind.get(), false, options));
  }

  private static List<Element> optionElements(Element classification, Problems problems) {
    JsonNode array = classification.node().get("options");
    if (array == null || array.isNull()) {
      return List.of();
    }
    String path = classification.path() + ".options";
    if (!array.isArray()) {
      problems.error(path, "expected an array, got " + Json.kind(array));
      return List.of();
    }
    List<Element> options = new ArrayList<>();
    for (int index = 0; index < array.size(); index++) {
      JsonNode option = array.get(index);
      if (!option.isObject()) {
        problems.error(path + "[" + index + "]", "expected an object, got " + Json.kind(option));
        continue;
      }
      options.add(new Element(path + "[" + index + "]", option));
    }
    return options;
  }

  private static Optional<String> requiredString(Element element, String name, Problems problems) {
    JsonNode value = element.node().get(name);
    if (value == null || !value.isString() || value.stringValue().isBlank()) {
      problems.error(element.path() + "." + name, "expected a string, got " + Json.quote(value));
      return Optional.empty();
    }
    return Optional.of(value.stringValue());
  }

  private static Optional<FeatureKind> kind(
      String path, String word, boolean tool, Problems problems) {
    Optional<FeatureKind> kind = FeatureKind.parse(word).filter(found -> found.isTool() == tool);
    if (kind.isEmpty()) {
      List<String> expected =
          FeatureKind.words().stream()
              .filter(candidate -> FeatureKind.parse(candidate).orElseThrow().isTool() == tool)
              .toList();
      problems.error(path, "expected one of " + expected + ", got \"" + word + "\"");
    }
    return kind;
  }
}
