package org.openfoundry.adapters;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.chat.ChatRequest;
import org.openfoundry.chat.Conversation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any other endpoint, mapped declaratively: {@code request_mapping} turns our request (the task
 * request, or the chat request) into the vendor's body; {@code response_mapping} turns the vendor's
 * response into our task response, with our request as {@code $request}; {@code text_mapping} finds
 * the assistant's text in a chat response. The expressions are JSONata, compiled when the manifest
 * is loaded.
 */
final class JsonataAdapter implements Adapter {
  static final String NAME = "jsonata";

  private final URI endpoint;
  private final JsonataExpression request;
  private final Optional<JsonataExpression> chatRequest;
  private final Optional<JsonataExpression> response;
  private final Optional<JsonataExpression> text;

  private JsonataAdapter(
      URI endpoint,
      JsonataExpression request,
      Optional<JsonataExpression> chatRequest,
      Optional<JsonataExpression> response,
      Optional<JsonataExpression> text) {
    this.endpoint = endpoint;
    this.request = request;
    this.chatRequest = chatRequest;
    this.response = response;
    this.text = text;
  }

  static Optional<JsonataAdapter> create(AdapterConfig config, Options options) {
    long timeout = (long) options.number("timeout_millis", 1000, 10, 60_000);
    Optional<JsonataExpression> request =
        options
            .requiredString(
                "request_mapping", "a JSONata expression from our request to the vendor's body")
            .flatMap(
                source -> JsonataExpression.compile(options, "request_mapping", source, timeout));
    Optional<JsonataExpression> chatRequest = expression(options, "chat_request_mapping", timeout);
    Optional<JsonataExpression> response = expression(options, "response_mapping", timeout);
    Optional<JsonataExpression> text = expression(options, "text_mapping", timeout);
    options.finish(NAME);
    return request.map(
        compiled -> new JsonataAdapter(config.endpoint(), compiled, chatRequest, response, text));
  }

  private static Optional<JsonataExpression> expression(Options options, String key, long timeout) {
    return options
        .string(key)
        .flatMap(source -> JsonataExpression.compile(options, key, source, timeout));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    Call call = new Call(transport);
    ObjectNode ours = input.toWireRequest();
    JsonNode raw = call.post(endpoint, body(request, ours, call));
    JsonNode mapped = raw;
    if (response.isPresent()) {
      mapped = evaluate(response.get(), raw, Map.of("request", ours), call);
    }
    if (!mapped.isObject()) {
      throw response.isPresent()
          ? call.mappingFailed(
              "response_mapping",
              "expected an object keyed by feature names, got " + Json.describe(mapped))
          : call.invalid(
              "", "expected an object keyed by feature names, got " + Json.describe(mapped));
    }
    return call.rowResult(raw, ((ObjectNode) mapped).deepCopy(), ChatFormats.openAiUsage(raw));
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    Call call = new Call(transport);
    ObjectNode ours = new ChatRequest(conversation, params).toJson();
    JsonNode raw = call.post(endpoint, body(chatRequest.orElse(request), ours, call));
    Optional<String> assistant;
    if (text.isPresent()) {
      JsonNode value = evaluate(text.get(), raw, Map.of("request", ours), call);
      if (!value.isString() && !value.isMissingNode() && !value.isNull()) {
        throw call.mappingFailed("text_mapping", "expected text, got " + Json.describe(value));
      }
      assistant = value.isString() ? Optional.of(value.stringValue()) : Optional.empty();
    } else {
      assistant = OpenFoundryAdapter.assistantText(raw, Optional.empty());
    }
    return call.chatResult(raw, assistant, ChatFormats.openAiUsage(raw));
  }

  private static JsonNode body(JsonataExpression expression, ObjectNode ours, Call call) {
    JsonNode body = evaluate(expression, ours, Map.of(), call);
    if (body.isMissingNode()) {
      throw call.mappingFailed(expression.key(), "the expression produced nothing for this input");
    }
    return body;
  }

  private static JsonNode evaluate(
      JsonataExpression expression, JsonNode input, Map<String, JsonNode> variables, Call call) {
    try {
      return expression.evaluate(input, variables);
    } catch (IllegalArgumentException e) {
      throw call.mappingFailed(expression.key(), "evaluation failed: " + e.getMessage());
    }
  }
}
