package org.openfoundry.adapters;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI-compatible chat completions: {@code model} and {@code messages} with text and {@code
 * image_url} parts (data URLs for inline images), the token limit and sampling parameters from the
 * inference parameters; the answer is {@code choices[0].message.content}. A data row is sent as one
 * user message; its answer is read as our JSON response or as free text.
 */
final class OpenAiAdapter implements Adapter {
  static final String NAME = "openai";
  private static final String CONTENT = "choices[0].message.content";

  private final URI endpoint;
  private final String model;
  private final String maxTokensField;
  private final Optional<ObjectNode> extra;
  private final LanguageSettings settings;
  private final AdapterEnvironment environment;

  private OpenAiAdapter(
      URI endpoint,
      String model,
      String maxTokensField,
      Optional<ObjectNode> extra,
      LanguageSettings settings,
      AdapterEnvironment environment) {
    this.endpoint = endpoint;
    this.model = model;
    this.maxTokensField = maxTokensField;
    this.extra = extra;
    this.settings = settings;
    this.environment = environment;
  }

  static OpenAiAdapter create(
      AdapterConfig config, AdapterEnvironment environment, Options options) {
    String model = options.requiredString("model", "the model name, e.g. gpt-4o-mini").orElse("");
    String maxTokensField =
        options.choice(
            "max_tokens_field",
            "max_tokens",
            Map.of("max_tokens", "max_tokens", "max_completion_tokens", "max_completion_tokens"));
    Optional<ObjectNode> extra = options.object("extra_body");
    LanguageSettings settings = LanguageSettings.read(options, ImageInput.URL);
    options.finish(NAME);
    return new OpenAiAdapter(
        config.endpoint(), model, maxTokensField, extra, settings, environment);
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
      body.putObject("response_format").put("type", "json_object");
    }
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body);
    JsonNode message = raw.path("choices").path(0).path("message");
    if (!message.path("content").isString() && message.path("refusal").isString()) {
      throw call.invalid(
          "choices[0].message.refusal",
          "the model refused: " + Json.shorten(message.path("refusal").stringValue()));
    }
    String text =
        ChatFormats.openAiText(raw)
            .orElseThrow(
                () -> call.invalid(CONTENT, "expected the assistant's message, got nothing"));
    ObjectNode response = settings.answers().fromText(text, input.ontology(), CONTENT, call);
    return call.rowResult(raw, response, ChatFormats.openAiUsage(raw));
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, body(conversation, params));
    return call.chatResult(raw, ChatFormats.openAiText(raw), ChatFormats.openAiUsage(raw));
  }

  private ObjectNode body(Conversation conversation, ObjectNode params) {
    ObjectNode body = Json.object();
    body.put("model", model);
    body.set("messages", ChatFormats.openAiMessages(conversation));
    ChatFormats.openAiParams(params, body, maxTokensField);
    extra.ifPresent(more -> body.setAll(more.deepCopy()));
    return body;
  }
}
