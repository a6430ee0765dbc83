package org.openfoundry.adapters;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Part;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google Gemini and Vertex AI {@code generateContent}: {@code contents} of roles {@code user} and
 * {@code model} with text, {@code inline_data} and {@code file_data} parts, the system messages as
 * {@code systemInstruction}, and {@code generationConfig} from the inference parameters; the answer
 * is the text of {@code candidates[0].content.parts}, the usage {@code usageMetadata}.
 */
final class GeminiAdapter implements Adapter {
  static final String NAME = "gemini";
  private static final String PARTS = "candidates[0].content.parts";

  /** Inference parameters and the generationConfig fields they set. */
  private static final Map<String, String> GENERATION =
      Map.of(
          "max_new_tokens", "maxOutputTokens",
          "max_tokens", "maxOutputTokens",
          "temperature", "temperature",
          "top_p", "topP",
          "top_k", "topK",
          "stop", "stopSequences",
          "seed", "seed",
          "presence_penalty", "presencePenalty",
          "frequency_penalty", "frequencyPenalty");

  private static final Map<String, String> EXTENSION_TYPES =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "gif", "image/gif",
          "webp", "image/webp",
          "heic", "image/heic");

  private final URI endpoint;
  private final Optional<ObjectNode> generationConfig;
  private final Optional<JsonNode> safetySettings;
  private final LanguageSettings settings;
  private final AdapterEnvironment environment;

  private GeminiAdapter(
      URI endpoint,
      Optional<ObjectNode> generationConfig,
      Optional<JsonNode> safetySettings,
      LanguageSettings settings,
      AdapterEnvironment environment) {
    this.endpoint = endpoint;
    this.generationConfig = generationConfig;
    this.safetySettings = safetySettings;
    this.settings = settings;
    this.environment = environment;
  }

  static GeminiAdapter create(
      AdapterConfig config, AdapterEnvironment environment, Options options) {
    Optional<ObjectNode> generationConfig = options.object("generation_config");
    Optional<JsonNode> safety = options.array("safety_settings");
    LanguageSettings settings = LanguageSettings.read(options, ImageInput.INLINE);
    options.finish(NAME);
    return new GeminiAdapter(config.endpoint(), generationConfig, safety, settings, environment);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    Conversation conversation = Rows.conversation(NAME, input, settings, environment);
    ObjectNode body = body(conversation, input.inferenceParams());
    if (settings.answers().mode() == AnswerMode.JSON) {
      ((ObjectNode) body.path("generationConfig")).put("responseMimeType", "application/json");
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    String text = text(raw, call);
    ObjectNode response = settings.answers().fromText(text, input.ontology(), PARTS, call);
    return call.rowResult(raw, response, usage(raw));
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body(conversation, params));
    return call.chatResult(raw, Optional.of(text(raw, call)), usage(raw));
  }

  private ObjectNode body(Conversation conversation, ObjectNode params) {
    ObjectNode body = Json.object();
    ArrayNode contents = body.putArray("contents");
    for (Message message : conversation.turns()) {
      ObjectNode content = contents.addObject();
      content.put("role", message.role() == Role.ASSISTANT ? "model" : "user");
      ArrayNode parts = content.putArray("parts");
      for (Part part : message.parts()) {
        addPart(parts, part);
      }
    }
    conversation
        .systemText()
        .ifPresent(
            system ->
                body.putObject("systemInstruction")
                    .putArray("parts")
                    .addObject()
                    .put("text", system));
    ObjectNode generation = body.putObject("generationConfig");
    generationConfig.ifPresent(fixed -> generation.setAll(fixed.deepCopy()));
    for (Map.Entry<String, String> entry : GENERATION.entrySet()) {
      JsonNode value = params.path(entry.getKey());
      if (!value.isMissingNode() && !value.isNull()) {
        generation.set(
            entry.getValue(),
            entry.getValue().equals("stopSequences") && value.isString()
                ? Json.NODES.arrayNode().add(value.stringValue())
                : value.deepCopy());
      }
    }
    safetySettings.ifPresent(safety -> body.set("safetySettings", safety.deepCopy()));
    return body;
  }

  private static void addPart(ArrayNode parts, Part part) {
    switch (part) {
      case TextPart text -> parts.addObject().put("text", text.text());
      case ImagePart image ->
          parts
              .addObject()
              .putObject("inline_data")
              .put("mime_type", image.mediaType())
              .put("data", image.data());
      case ImageUrlPart url ->
          parts
              .addObject()
              .putObject("file_data")
              .put("mime_type", url.mediaType().orElseGet(() -> guessType(url)))
              .put("file_uri", url.url().toString());
    }
  }

  /** Gemini needs the media type of a file it reads by URI; the extension is the only hint. */
  private static String guessType(ImageUrlPart url) {
    String path = url.url().getPath() == null ? "" : url.url().getPath();
    String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = EXTENSION_TYPES.get(extension);
    if (type == null) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "cannot tell the image type of "
              + url.url()
              + " for Gemini's file_data: set use_attachments to send the image inline, or"
              + " adapter_options.image_input to inline");
    }
    return type;
  }

  private static String text(JsonNode raw, Call call) {
    JsonNode candidates = raw.path("candidates");
    if (!candidates.isArray() || candidates.isEmpty()) {
      JsonNode reason = raw.path("promptFeedback").path("blockReason");
      throw call.invalid(
          "candidates",
          reason.isString()
              ? "the model gave no answer: the prompt was blocked (" + reason.stringValue() + ")"
              : "expected at least one candidate, got " + Json.describe(candidates));
    }
    JsonNode parts = candidates.get(0).path("content").path("parts");
    StringBuilder text = new StringBuilder();
    boolean found = false;
    for (JsonNode part : parts) {
      if (part.path("text").isString() && !part.path("thought").asBoolean(false)) {
        text.append(part.path("text").stringValue());
        found = true;
      }
    }
    if (!found) {
      JsonNode finish = candidates.get(0).path("finishReason");
      throw call.invalid(
          PARTS,
          "expected the answer's text"
              + (finish.isString() ? ", the candidate finished with " + finish.stringValue() : "")
              + ", got "
              + Json.describe(parts));
    }
    return text.toString();
  }

  private static Optional<TokenUsage> usage(JsonNode raw) {
    JsonNode usage = raw.path("usageMetadata");
    if (!usage.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        TokenUsage.of(
            usage.path("promptTokenCount").asLong(0),
            usage.path("candidatesTokenCount").asLong(0),
            usage.path("totalTokenCount").asLong(0)));
  }
}
