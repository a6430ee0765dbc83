package org.openfoundry.adapters;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.openfoundry.chat.ChatRequest;
import org.openfoundry.chat.Conversation;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Our wire contract both ways: the task request ({@code data_row}, {@code ontology}, {@code
 * inference_params}) answered by our task response, and the chat request ({@code prompt}, {@code
 * inference_params}) answered by any JSON, whose text is found where models usually put it or at
 * {@code assistant_text_pointer}.
 */
final class OpenFoundryAdapter implements Adapter {
  static final String NAME = "openfoundry";

  /** Where endpoints of our contract usually put the assistant's text, first match wins. */
  private static final List<String> TEXT_POINTERS =
      List.of(
          "/text",
          "/response",
          "/output",
          "/answer",
          "/content",
          "/message/content",
          "/choices/0/message/content",
          "/generated_text",
          "/0/generated_text");

  private final URI endpoint;
  private final Optional<JsonPointer> textPointer;

  private OpenFoundryAdapter(URI endpoint, Optional<JsonPointer> textPointer) {
    this.endpoint = endpoint;
    this.textPointer = textPointer;
  }

  static OpenFoundryAdapter create(AdapterConfig config, Options options) {
    Optional<JsonPointer> pointer = pointer(options, "assistant_text_pointer");
    options.finish(NAME);
    return new OpenFoundryAdapter(config.endpoint(), pointer);
  }

  static Optional<JsonPointer> pointer(Options options, String key) {
    Optional<String> text = options.string(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonPointer.compile(text.get()));
    } catch (IllegalArgumentException e) {
      options.error(
          key, "expected a JSON pointer such as /output/text, got \"" + text.get() + "\"");
      return Optional.empty();
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AdapterResult run(TaskInput input, EndpointTransport transport) {
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, input.toWireRequest());
    if (!raw.isObject()) {
      throw call.invalid(
          "", "expected an object keyed by feature names, got " + Json.describe(raw));
    }
    return call.rowResult(raw, ((ObjectNode) raw).deepCopy(), Optional.empty());
  }

  @Override
  public AdapterResult runDirect(
      Conversation conversation, ObjectNode params, EndpointTransport transport) {
    Call call = new Call(transport);
    JsonNode raw = call.post(endpoint, new ChatRequest(conversation, params).toJson());
    return call.chatResult(raw, assistantText(raw, textPointer), ChatFormats.openAiUsage(raw));
  }

  static Optional<String> assistantText(JsonNode raw, Optional<JsonPointer> pointer) {
    if (pointer.isPresent()) {
      JsonNode value = raw.at(pointer.get());
      return value.isString() ? Optional.of(value.stringValue()) : Optional.empty();
    }
    if (raw.isString()) {
      return Optional.of(raw.stringValue());
    }
    for (String candidate : TEXT_POINTERS) {
      JsonNode value = raw.at(candidate);
      if (value.isString()) {
        return Optional.of(value.stringValue());
      }
    }
    return Optional.empty();
  }
}
