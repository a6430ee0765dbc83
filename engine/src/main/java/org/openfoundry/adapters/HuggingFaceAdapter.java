package org.openfoundry.adapters;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.chat.Conversation;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.rle.BinaryMask;
import org.openfoundry.rle.RleMask;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hugging Face inference tasks: {@code {"inputs": ..., "parameters": {...}}} answered in the task's
 * format. Object detection boxes, segmentation masks (base64 PNG, sent on as COCO RLE) and entity
 * spans are keyed by their label (through {@code label_map}); classifier labels answer a radio (the
 * top one) or a checklist (those above the threshold); generated text is read like any language
 * model's answer.
 */
final class HuggingFaceAdapter implements Adapter {
  static final String NAME = "huggingface";
  private static final Pattern IOB = Pattern.compile("^[BIES]-(.+)$");

  private final URI endpoint;
  private final HuggingFaceTask task;
  private final Map<String, String> labelMap;
  private final LabelScores labels;
  private final Optional<Double> threshold;
  private final ObjectNode parameters;
  private final Optional<List<String>> forwardParams;
  private final LanguageSettings settings;
  private final AdapterEnvironment environment;

  private HuggingFaceAdapter(Builder builder) {
    this.endpoint = builder.endpoint;
    this.task = builder.task;
    this.labelMap = builder.labelMap;
    this.labels = new LabelScores(builder.classification, builder.labelMap);
    this.threshold = builder.threshold;
    this.parameters = builder.parameters;
    this.forwardParams = builder.forwardParams;
    this.settings = builder.settings;
    this.environment = builder.environment;
  }

  private static final class Builder {
    URI endpoint;
    HuggingFaceTask task;
    Map<String, String> labelMap;
    Optional<String> classification;
    Optional<Double> threshold;
    ObjectNode parameters;
    Optional<List<String>> forwardParams;
    LanguageSettings settings;
    AdapterEnvironment environment;
  }

  static HuggingFaceAdapter create(
      AdapterConfig config, AdapterEnvironment environment, Options options) {
    Builder builder = new Builder();
    builder.endpoint = config.endpoint();
    builder.environment = environment;
    builder.task =
        options.choice("task", HuggingFaceTask.OBJECT_DETECTION, HuggingFaceTask.words());
    if (!config.options().has("task")) {
      options.error(
          "task",
          "required: the inference task, one of "
              + String.join(", ", HuggingFaceTask.words().keySet()));
    }
    builder.labelMap = options.stringMap("label_map");
    builder.classification = options.string("classification");
    double threshold = options.number("threshold", -1, 0, 1);
    builder.threshold = threshold < 0 ? Optional.empty() : Optional.of(threshold);
    builder.parameters = options.object("parameters").orElseGet(Json::object);
    builder.forwardParams = options.strings("forward_params");
    builder.settings = LanguageSettings.read(options, ImageInput.URL);
    options.finish(NAME);
    return new HuggingFaceAdapter(builder);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    ObjectNode body = Json.object();
    body.set("inputs", inputs(input));
    ObjectNode sent = parameters(input.inferenceParams());
    if (!sent.isEmpty()) {
      body.set("parameters", sent);
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    ObjectNode response =
        switch (task) {
          case OBJECT_DETECTION -> detections(raw, call);
          case IMAGE_SEGMENTATION -> segments(raw, call);
          case TOKEN_CLASSIFICATION -> entities(raw, input.rowData(), call);
          case IMAGE_CLASSIFICATION, TEXT_CLASSIFICATION ->
              labels.answer(scored(raw, call), input.ontology(), threshold(input), "", call);
          case TEXT_GENERATION ->
              settings
                  .answers()
                  .fromText(generated(raw, call), input.ontology(), "[0].generated_text", call);
        };
    return call.rowResult(raw, response, Optional.empty());
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    if (task != HuggingFaceTask.TEXT_GENERATION) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "a huggingface "
              + task.word()
              + " endpoint does not take conversations; chat needs task text-generation");
    }
    ObjectNode body = Json.object();
    body.put("inputs", ChatFormats.transcript(NAME, conversation));
    ObjectNode sent = parameters(params);
    if (!sent.has("return_full_text")) {
      // Without it the endpoint echoes the prompt before the answer.
      sent.put("return_full_text", false);
    }
    body.set("parameters", sent);
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    return call.chatResult(raw, Optional.of(generated(raw, call)), Optional.empty());
  }

  private JsonNode inputs(TaskInput input) {
    if (task.takesImages()) {
      if (input.mediaType() != AssetType.IMAGE) {
        throw new FoundryException(
            ErrorCode.INVALID_INPUT,
            "a huggingface "
                + task.word()
                + " endpoint takes image rows, not "
                + input.mediaType().word()
                + " rows");
      }
      return switch (settings.imageInput()) {
        case URL -> Json.NODES.stringNode(Rows.url(input).toString());
        case INLINE -> Json.NODES.stringNode(Rows.fetch(input, environment).data());
      };
    }
    if (input.mediaType() != AssetType.TEXT) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "a huggingface "
              + task.word()
              + " endpoint takes text rows, not "
              + input.mediaType().word()
              + " rows");
    }
    if (task == HuggingFaceTask.TEXT_GENERATION) {
      return Json.NODES.stringNode(
          Rows.prompt(input, settings.prompt()).map(prompt -> prompt + "\n\n").orElse("")
              + input.rowData());
    }
    return Json.NODES.stringNode(input.rowData());
  }

  /** The fixed parameters, then the inference parameters chosen to be forwarded. */
  private ObjectNode parameters(ObjectNode inferenceParams) {
    ObjectNode sent = parameters.deepCopy();
    for (Map.Entry<String, JsonNode> entry : inferenceParams.properties()) {
      boolean forwarded =
          forwardParams
              .map(names -> names.contains(entry.getKey()))
              .orElse(!entry.getKey().equals("prompt"));
      if (forwarded) {
        sent.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
    return sent;
  }

  private double threshold(TaskInput input) {
    return threshold.orElseGet(() -> input.inferenceParams().path("confidence").asDouble(0.5));
  }

  private static JsonNode list(JsonNode raw, Call call) {
    if (!raw.isArray()) {
      throw call.invalid("", "expected a list of results, got " + Json.describe(raw));
    }
    return raw;
  }

  private ObjectNode detections(JsonNode raw, Call call) {
    ObjectNode response = Json.object();
    JsonNode items = list(raw, call);
    for (int index = 0; index < items.size(); index++) {
      JsonNode item = items.get(index);
      String path = "[" + index + "]";
      String label = string(item, "label", path, call);
      double score = number(item, "score", path, call);
      JsonNode box = item.path("box");
      double xmin = number(box, "xmin", path + ".box", call);
      double ymin = number(box, "ymin", path + ".box", call);
      double xmax = number(box, "xmax", path + ".box", call);
      double ymax = number(box, "ymax", path + ".box", call);
      ObjectNode feature = feature(response, labelMap.getOrDefault(label, label), "boxes");
      ((ArrayNode) feature.get("boxes"))
          .addArray()
          .add(xmin)
          .add(ymin)
          .add(xmax - xmin)
          .add(ymax - ymin);
      ((ArrayNode) feature.get("scores")).add(score);
    }
    return response;
  }

  private ObjectNode segments(JsonNode raw, Call call) {
    ObjectNode response = Json.object();
    Map<String, Boolean> scored = new LinkedHashMap<>();
    JsonNode items = list(raw, call);
    for (int index = 0; index < items.size(); index++) {
      JsonNode item = items.get(index);
      String path = "[" + index + "]";
      String named = string(item, "label", path, call);
      String label = labelMap.getOrDefault(named, named);
      String png = string(item, "mask", path, call);
      BinaryMask mask;
      try {
        mask = PngMasks.read(png);
      } catch (IllegalArgumentException e) {
        throw call.invalid(path + ".mask", "expected a base64 PNG mask: " + e.getMessage());
      }
      RleMask rle = RleMask.of(mask);
      ObjectNode feature = feature(response, label, "masks");
      ObjectNode encoded = ((ArrayNode) feature.get("masks")).addObject();
      encoded.putArray("size").add(rle.height()).add(rle.width());
      encoded.put("counts", rle.compressed());
      JsonNode score = item.path("score");
      // Semantic segmentation answers no score; scores then stay out for that feature.
      scored.merge(label, score.isNumber(), Boolean::logicalAnd);
      ((ArrayNode) feature.get("scores")).add(score.isNumber() ? score.asDouble() : 0);
    }
    scored.forEach(
        (label, complete) -> {
          if (!complete) {
            ((ObjectNode) response.get(label)).remove("scores");
          }
        });
    return response;
  }

  private static ObjectNode feature(ObjectNode response, String name, String shapes) {
    if (!response.has(name)) {
      ObjectNode feature = response.putObject(name);
      feature.putArray(shapes);
      feature.putArray("scores");
    }
    return (ObjectNode) response.get(name);
  }

  private record Span(String type, int start, int end) {}

  private ObjectNode entities(JsonNode raw, String text, Call call) {
    JsonNode items = list(raw, call);
    List<Span> spans = new ArrayList<>();
    Span open = null;
    int cursor = 0;
    for (int index = 0; index < items.size(); index++) {
      JsonNode item = items.get(index);
      String path = "[" + index + "]";
      boolean grouped = item.has("entity_group");
      String tag = string(item, grouped ? "entity_group" : "entity", path, call);
      if (tag.equals("O")) {
        continue;
      }
      String type = tag;
      boolean continues = false;
      Matcher iob = IOB.matcher(tag);
      if (!grouped && iob.matches()) {
        type = iob.group(1);
        continues = tag.startsWith("I-") || tag.startsWith("E-");
      }
      int[] offsets = offsets(item, text, cursor, path, call);
      cursor = offsets[1];
      if (continues && open != null && open.type().equals(type) && offsets[0] <= open.end() + 1) {
        open = new Span(type, open.start(), offsets[1]);
        continue;
      }
      if (open != null) {
        spans.add(open);
      }
      open = new Span(type, offsets[0], offsets[1]);
    }
    if (open != null) {
      spans.add(open);
    }
    ObjectNode response = Json.object();
    for (Span span : spans) {
      String name = labelMap.getOrDefault(span.type(), span.type());
      if (!response.has(name)) {
        response.putArray(name);
      }
      ((ArrayNode) response.get(name))
          .addObject()
          .put("start", span.start())
          .put("end", span.end())
          .put("text", text.substring(span.start(), span.end()));
    }
    return response;
  }

  /** The token's offsets, or where its word is found from the cursor on when offsets are absent. */
  private static int[] offsets(JsonNode item, String text, int cursor, String path, Call call) {
    JsonNode start = item.path("start");
    JsonNode end = item.path("end");
    if (start.isIntegralNumber() && end.isIntegralNumber()) {
      int from = start.asInt();
      int to = end.asInt();
      if (from < 0 || to <= from || to > text.length()) {
        throw call.invalid(
            path,
            "expected offsets 0 <= start < end <= "
                + text.length()
                + " (the text's length), got "
                + from
                + ".."
                + to);
      }
      return new int[] {from, to};
    }
    String word = string(item, "word", path, call).replaceFirst("^(##|\u2581)", "");
    int found = text.indexOf(word, cursor);
    if (word.isEmpty() || found < 0) {
      throw call.invalid(
          path, "the token has no offsets and its word \"" + word + "\" is not in the text");
    }
    return new int[] {found, found + word.length()};
  }

  private static List<LabelScores.Scored> scored(JsonNode raw, Call call) {
    JsonNode items = list(raw, call);
    if (!items.isEmpty() && items.get(0).isArray()) {
      // Classifiers answer one list per input; one input was sent.
      items = items.get(0);
    }
    List<LabelScores.Scored> scored = new ArrayList<>();
    for (int index = 0; index < items.size(); index++) {
      String path = "[" + index + "]";
      scored.add(
          new LabelScores.Scored(
              string(items.get(index), "label", path, call),
              number(items.get(index), "score", path, call)));
    }
    return scored;
  }

  private static String generated(JsonNode raw, Call call) {
    JsonNode first = raw.isArray() ? raw.path(0) : raw;
    JsonNode text = first.path("generated_text");
    if (!text.isString()) {
      throw call.invalid(
          raw.isArray() ? "[0].generated_text" : "generated_text",
          "expected the generated text, got " + Json.describe(text));
    }
    return text.stringValue();
  }

  private static String string(JsonNode item, String key, String path, Call call) {
    JsonNode value = item.path(key);
    if (!value.isString()) {
      throw call.invalid(path + "." + key, "expected a string, got " + Json.describe(value));
    }
    return value.stringValue();
  }

  private static double number(JsonNode item, String key, String path, Call call) {
    JsonNode value = item.path(key);
    if (!value.isNumber()) {
      throw call.invalid(path + "." + key, "expected a number, got " + Json.describe(value));
    }
    return value.asDouble();
  }
}
