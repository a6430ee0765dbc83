package org.openfoundry.ontology;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads an ontology from its Labelbox-style JSON ({@code media_type}, {@code tools}, {@code
 * classifications} with options and nested classifications), reporting every problem with its path.
 * Feature names are unique across tools and top-level classifications, and among the siblings of
 * nested classifications; radio and checklist options are non-empty with unique values; each
 * feature kind can be restricted to a set of kinds and must fit the asset types.
 */
public final class OntologyReader {
  private static final List<String> ONTOLOGY_KEYS =
      List.of("media_type", "tools", "classifications");
  private static final List<String> TOOL_KEYS = List.of("name", "tool", "color", "classifications");
  private static final List<String> CLASSIFICATION_KEYS =
      List.of("name", "instructions", "type", "required", "options");
  private static final List<String> OPTION_KEYS = List.of("label", "value", "position", "options");

  /** Identifiers and flags of a hosted ontology export: accepted and dropped without a warning. */
  private static final Set<String> EXPORT_BOOKKEEPING =
      Set.of("featureSchemaId", "schemaNodeId", "archived", "required", "kind");

  private static final Pattern HEX_COLOR = Pattern.compile("#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})");

  private final TreeReader reader;

  public OntologyReader(Problems problems) {
    this.reader = new TreeReader(requireNonNull(problems, "problems is null"));
  }

  /** Reads an ontology that must stand alone, throwing every problem at once. */
  public static Ontology parse(JsonNode node) {
    Problems problems = new Problems();
    Ontology ontology = new OntologyReader(problems).read(node, "", Set.of(), Set.of());
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "the ontology is not valid");
    return ontology;
  }

  /**
   * Reads the ontology at {@code path}, keeping what is valid and recording the rest as problems.
   *
   * @param allowedKinds the kinds its features may have; empty allows every kind
   * @param assetTypes the asset types its features must fit when it names no media type; empty
   *     skips the check
   */
  public Ontology read(
      JsonNode node, String path, Set<FeatureKind> allowedKinds, Set<AssetType> assetTypes) {
    Optional<ObjectNode> object = reader.object(node, path);
    if (object.isEmpty()) {
      return Ontology.empty();
    }
    reader.unknownKeys(object.get(), path, ONTOLOGY_KEYS);
    Optional<AssetType> mediaType = mediaType(object.get(), path, assetTypes);
    Rules rules =
        new Rules(allowedKinds, mediaType.map(Set::of).orElse(assetTypes), mediaType.isPresent());
    Names topLevel = new Names("feature name");
    List<Tool> tools = new ArrayList<>();
    forEach(
        object.get(),
        "tools",
        path,
        (element, elementPath) ->
            tool(element, elementPath, rules, topLevel).ifPresent(tools::add));
    List<Classification> classifications = classifications(object.get(), path, rules, topLevel);
    return new Ontology(mediaType, tools, classifications);
  }

  private Optional<AssetType> mediaType(ObjectNode object, String path, Set<AssetType> allowed) {
    String mediaPath = TreeReader.child(path, "media_type");
    Optional<AssetType> mediaType =
        TreeReader.field(object, "media_type")
            .flatMap(value -> reader.string(value, mediaPath))
            .flatMap(word -> assetType(word, mediaPath));
    if (mediaType.isPresent() && !allowed.isEmpty() && !allowed.contains(mediaType.get())) {
      reader.error(
          mediaPath,
          mediaType.get().word()
              + " is not among the allowed asset types ("
              + words(allowed.stream().map(AssetType::word).toList())
              + ")");
    }
    return mediaType;
  }

  private Optional<AssetType> assetType(String word, String path) {
    Optional<AssetType> type = AssetType.parse(word);
    if (type.isEmpty()) {
      reader.error(
          path,
          "expected one of "
              + words(Arrays.stream(AssetType.values()).map(AssetType::word).toList())
              + ", got \""
              + word
              + "\"");
    }
    return type;
  }

  private Optional<Tool> tool(JsonNode node, String path, Rules rules, Names names) {
    Optional<ObjectNode> object = reader.object(node, path);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    unknownKeys(object.get(), path, TOOL_KEYS);
    Optional<String> name = name(object.get(), path, names);
    String kindPath = TreeReader.child(path, "tool");
    Optional<FeatureKind> kind =
        required(object.get(), "tool", path)
            .flatMap(value -> reader.string(value, kindPath))
            .flatMap(word -> kind(word, kindPath, FeatureKind.Family.TOOL));
    kind.ifPresent(found -> rules.check(found, kindPath, reader));
    Optional<String> color =
        TreeReader.field(object.get(), "color")
            .flatMap(value -> color(value, TreeReader.child(path, "color")));
    List<Classification> nested =
        classifications(object.get(), path, rules, new Names("classification name"));
    if (name.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Tool(name.get(), kind.get(), color, nested));
  }

  private List<Classification> classifications(
      ObjectNode parent, String path, Rules rules, Names names) {
    List<Classification> classifications = new ArrayList<>();
    forEach(
        parent,
        "classifications",
        path,
        (element, elementPath) ->
            classification(element, elementPath, rules, names).ifPresent(classifications::add));
    return classifications;
  }

  private Optional<Classification> classification(
      JsonNode node, String path, Rules rules, Names names) {
    Optional<ObjectNode> object = reader.object(node, path);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    unknownKeys(object.get(), path, CLASSIFICATION_KEYS);
    Optional<String> instructions =
        TreeReader.field(object.get(), "instructions")
            .flatMap(value -> reader.string(value, TreeReader.child(path, "instructions")));
    Optional<String> name =
        object.get().has("name") || instructions.isEmpty()
            ? name(object.get(), path, names)
            : names.claim(instructions.get(), TreeReader.child(path, "instructions"), reader);
    String kindPath = TreeReader.child(path, "type");
    Optional<FeatureKind> kind =
        required(object.get(), "type", path)
            .flatMap(value -> reader.string(value, kindPath))
            .flatMap(word -> kind(word, kindPath, FeatureKind.Family.CLASSIFICATION));
    kind.ifPresent(found -> rules.check(found, kindPath, reader));
    boolean required =
        TreeReader.field(object.get(), "required")
            .flatMap(value -> reader.bool(value, TreeReader.child(path, "required")))
            .orElse(false);
    List<Option> options = options(object.get(), path, kind, rules);
    if (name.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Classification(
            name.get(), instructions.orElse(name.get()), kind.get(), required, options));
  }

  private List<Option> options(
      ObjectNode classification, String path, Optional<FeatureKind> kind, Rules rules) {
    String optionsPath = TreeReader.child(path, "options");
    Optional<ArrayNode> list =
        TreeReader.field(classification, "options")
            .flatMap(value -> reader.list(value, optionsPath));
    boolean hasOptions = list.isPresent() && !list.get().isEmpty();
    if (kind.isPresent() && kind.get() == FeatureKind.TEXT) {
      if (hasOptions) {
        reader.error(optionsPath, "a text classification takes no options");
      }
      return List.of();
    }
    // Options that are there but not a list were reported by reader.list; null means none.
    boolean missing = TreeReader.field(classification, "options").isEmpty();
    if (kind.isPresent() && !hasOptions && (list.isPresent() || missing)) {
      reader.error(
          list.isPresent() ? optionsPath : path,
          "a " + kind.get().word() + " classification needs at least one option");
    }
    List<Option> options = new ArrayList<>();
    Map<String, String> values = new HashMap<>();
    for (int position = 0; list.isPresent() && position < list.get().size(); position++) {
      String optionPath = TreeReader.index(optionsPath, position);
      option(list.get().get(position), optionPath, position, rules)
          .ifPresent(
              option -> {
                String earlier = values.putIfAbsent(option.value(), optionPath);
                if (earlier != null) {
                  reader.error(
                      optionPath,
                      "duplicate option value \"" + option.value() + "\" (also " + earlier + ")");
                  return;
                }
                options.add(option);
              });
    }
    return options;
  }

  private Optional<Option> option(JsonNode node, String path, int index, Rules rules) {
    Optional<ObjectNode> object = reader.object(node, path);
    if (object.isEmpty()) {
      return Optional.empty();
    }
    unknownKeys(object.get(), path, OPTION_KEYS);
    Optional<String> label =
        TreeReader.field(object.get(), "label")
            .flatMap(value -> reader.nonBlankString(value, TreeReader.child(path, "label")));
    Optional<String> value =
        TreeReader.field(object.get(), "value")
            .flatMap(found -> reader.nonBlankString(found, TreeReader.child(path, "value")));
    if (!object.get().has("label") && !object.get().has("value")) {
      reader.error(path, "an option needs a value or a label");
    }
    OptionalLong position =
        TreeReader.field(object.get(), "position")
            .map(
                found ->
                    reader.integer(found, TreeReader.child(path, "position"), 0, Integer.MAX_VALUE))
            .orElse(OptionalLong.of(index));
    List<Classification> nested = new ArrayList<>();
    Names names = new Names("classification name");
    forEach(
        object.get(),
        "options",
        path,
        (element, elementPath) ->
            classification(element, elementPath, rules, names).ifPresent(nested::add));
    Optional<String> chosenValue = value.or(() -> label);
    if (chosenValue.isEmpty() || position.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Option(
            label.orElse(chosenValue.get()),
            chosenValue.get(),
            (int) position.getAsLong(),
            nested));
  }

  private Optional<String> name(ObjectNode object, String path, Names names) {
    String namePath = TreeReader.child(path, "name");
    return required(object, "name", path)
        .flatMap(value -> reader.nonBlankString(value, namePath))
        .flatMap(name -> names.claim(name, namePath, reader));
  }

  private Optional<FeatureKind> kind(String word, String path, FeatureKind.Family family) {
    List<String> expected =
        Arrays.stream(FeatureKind.values())
            .filter(kind -> kind.family() == family)
            .map(FeatureKind::word)
            .toList();
    Optional<FeatureKind> kind = FeatureKind.parse(word).filter(found -> found.family() == family);
    if (kind.isEmpty()) {
      String what = family == FeatureKind.Family.TOOL ? "a tool kind" : "a classification type";
      reader.error(path, "expected " + what + " (" + words(expected) + "), got \"" + word + "\"");
    }
    return kind;
  }

  private Optional<String> color(JsonNode value, String path) {
    Optional<String> color = reader.string(value, path);
    if (color.isPresent() && !HEX_COLOR.matcher(color.get()).matches()) {
      reader.error(path, "expected a hex color such as \"#1CE6FF\", got \"" + color.get() + "\"");
      return Optional.empty();
    }
    return color;
  }

  private Optional<JsonNode> required(ObjectNode object, String key, String path) {
    Optional<JsonNode> value = TreeReader.field(object, key);
    if (value.isEmpty()) {
      reader.error(TreeReader.child(path, key), "is required");
    }
    return value;
  }

  private void forEach(ObjectNode parent, String key, String path, Element element) {
    String listPath = TreeReader.child(path, key);
    Optional<ArrayNode> list =
        TreeReader.field(parent, key).flatMap(value -> reader.list(value, listPath));
    for (int index = 0; list.isPresent() && index < list.get().size(); index++) {
      element.read(list.get().get(index), TreeReader.index(listPath, index));
    }
  }

  private void unknownKeys(ObjectNode object, String path, List<String> known) {
    ObjectNode relevant = object.deepCopy();
    relevant.remove(EXPORT_BOOKKEEPING);
    reader.unknownKeys(relevant, path, known);
  }

  private static String words(List<String> words) {
    return String.join(", ", words);
  }

  @FunctionalInterface
  private interface Element {
    void read(JsonNode element, String path);
  }

  /** Names already taken in one namespace, case-insensitively, with where they were taken. */
  private static final class Names {
    private final String what;
    private final Map<String, String> taken = new HashMap<>();

    Names(String what) {
      this.what = what;
    }

    Optional<String> claim(String name, String path, TreeReader reader) {
      String earlier = taken.putIfAbsent(name.toLowerCase(Locale.ROOT), path);
      if (earlier != null) {
        reader.error(path, "duplicate " + what + " \"" + name + "\" (also " + earlier + ")");
        return Optional.empty();
      }
      return Optional.of(name);
    }
  }

  /** Which kinds a feature may have and which asset types it must fit. */
  private record Rules(
      Set<FeatureKind> allowedKinds, Set<AssetType> assetTypes, boolean fromMediaType) {

    void check(FeatureKind kind, String kindPath, TreeReader reader) {
      if (!allowedKinds.isEmpty() && !allowedKinds.contains(kind)) {
        reader.error(
            kindPath,
            kind.word()
                + " is not among the allowed feature kinds ("
                + words(allowedKinds.stream().sorted().map(FeatureKind::word).toList())
                + ")");
      }
      if (assetTypes.isEmpty() || assetTypes.stream().anyMatch(kind::fits)) {
        return;
      }
      String fitting =
          Arrays.stream(AssetType.values())
              .filter(kind::fits)
              .map(AssetType::word)
              .collect(Collectors.joining(", "));
      String against =
          fromMediaType
              ? "the ontology's media type " + assetTypes.iterator().next().word()
              : assetTypes.size() == 1
                  ? "the model's asset type " + assetTypes.iterator().next().word()
                  : "any of the model's asset types ("
                      + words(assetTypes.stream().sorted().map(AssetType::word).toList())
                      + ")";
      reader.error(
          kindPath, "a " + kind.word() + " does not fit " + against + " (it fits " + fitting + ")");
    }
  }
}
