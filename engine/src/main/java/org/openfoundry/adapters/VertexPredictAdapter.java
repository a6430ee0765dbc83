package org.openfoundry.adapters;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.TextPart;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Vertex AI endpoints' {@code predict}: {@code {"instances": [...], "parameters": {...}}} answered
 * by {@code predictions}. A data row is one instance holding its text, its image (base64, the way
 * Vertex image models take it) or its URL; the first prediction is the answer. Chat goes to Model
 * Garden deployments as a chat-completions instance or as one prompt.
 */
final class VertexPredictAdapter implements Adapter {
  static final String NAME = "vertex-predict";
  private static final String OUTPUT_MARK = "\nOutput:\n";

  private enum ChatFormat {
    CHAT_COMPLETIONS,
    PROMPT
  }

  private final URI endpoint;
  private final String instanceKey;
  private final ObjectNode fixedParameters;
  private final Optional<String> predictionKey;
  private final ChatFormat chatFormat;
  private final LanguageSettings settings;
  private final AdapterEnvironment environment;

  private VertexPredictAdapter(
      URI endpoint,
      String instanceKey,
      ObjectNode fixedParameters,
      Optional<String> predictionKey,
      ChatFormat chatFormat,
      LanguageSettings settings,
      AdapterEnvironment environment) {
    this.endpoint = endpoint;
    this.instanceKey = instanceKey;
    this.fixedParameters = fixedParameters;
    this.predictionKey = predictionKey;
    this.chatFormat = chatFormat;
    this.settings = settings;
    this.environment = environment;
  }

  static VertexPredictAdapter create(
      AdapterConfig config, AdapterEnvironment environment, Options options) {
    String instanceKey = options.string("instance_key", "content");
    ObjectNode parameters = options.object("parameters").orElseGet(Json::object);
    Optional<String> predictionKey = options.string("prediction_key");
    ChatFormat chatFormat =
        options.choice(
            "chat_format",
            ChatFormat.CHAT_COMPLETIONS,
            Map.of("chatCompletions", ChatFormat.CHAT_COMPLETIONS, "prompt", ChatFormat.PROMPT));
    LanguageSettings settings = LanguageSettings.read(options, ImageInput.INLINE);
    options.finish(NAME);
    return new VertexPredictAdapter(
        config.endpoint(),
        instanceKey,
        parameters,
        predictionKey,
        chatFormat,
        settings,
        environment);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    ObjectNode instance = Json.object();
    switch (input.mediaType()) {
      case IMAGE ->
          instance.put(
              instanceKey,
              switch (Rows.image(input, settings.imageInput(), environment)) {
                case ImagePart image -> image.data();
                case ImageUrlPart url -> url.url().toString();
                case TextPart text -> text.text();
              });
      case TEXT, VIDEO, HTML, CONVERSATIONAL -> instance.put(instanceKey, input.rowData());
    }
    ObjectNode body = Json.object();
    body.putArray("instances").add(instance);
    ObjectNode parameters = fixedParameters.deepCopy();
    parameters.setAll(input.inferenceParams());
    if (!parameters.isEmpty()) {
      body.set("parameters", parameters);
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    JsonNode prediction = first(raw, call);
    String path = "predictions[0]";
    if (predictionKey.isPresent()) {
      path += "." + predictionKey.get();
      prediction = prediction.path(predictionKey.get());
      if (prediction.isMissingNode()) {
        throw call.invalid(path, "the prediction has no key \"" + predictionKey.get() + "\"");
      }
    }
    return call.rowResult(
        raw,
        settings.answers().fromValue(prediction, input.ontology(), path, call),
        Optional.empty());
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    ObjectNode instance = Json.object();
    switch (chatFormat) {
      case CHAT_COMPLETIONS -> {
        instance.put("@requestFormat", "chatCompletions");
        instance.set("messages", ChatFormats.openAiMessages(conversation));
        ChatFormats.openAiParams(params, instance, "max_tokens");
      }
      case PROMPT -> {
        instance.put("prompt", ChatFormats.transcript(NAME, conversation));
        ChatFormats.openAiParams(params, instance, "max_tokens");
      }
    }
    ObjectNode body = Json.object();
    body.putArray("instances").add(instance);
    if (!fixedParameters.isEmpty()) {
      body.set("parameters", fixedParameters.deepCopy());
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    JsonNode predictions = raw.path("predictions");
    // A chat-completions deployment answers one completion object, possibly in a list.
    JsonNode completion = predictions.isObject() ? predictions : predictions.path(0);
    Optional<String> text = ChatFormats.openAiText(completion);
    if (text.isEmpty()) {
      JsonNode prediction = first(raw, call);
      text =
          prediction.isString()
              ? Optional.of(withoutEcho(prediction.stringValue()))
              : OpenFoundryAdapter.assistantText(prediction, Optional.empty());
    }
    return call.chatResult(raw, text, ChatFormats.openAiUsage(completion));
  }

  /**
   * Model Garden text deployments answer "Prompt:\n...\nOutput:\n..."; the answer is the output.
   */
  private static String withoutEcho(String prediction) {
    int mark = prediction.indexOf(OUTPUT_MARK);
    if (prediction.startsWith("Prompt:\n") && mark >= 0) {
      return prediction.substring(mark + OUTPUT_MARK.length());
    }
    return prediction;
  }

  private static JsonNode first(JsonNode raw, Call call) {
    JsonNode predictions = raw.path("predictions");
    if (predictions.isArray() && !predictions.isEmpty()) {
      return predictions.get(0);
    }
    if (predictions.isObject()) {
      return predictions;
    }
    throw call.invalid(
        "predictions",
        "expected a non-empty list of predictions, got " + Json.describe(predictions));
  }
}
