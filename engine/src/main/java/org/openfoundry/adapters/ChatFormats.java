package org.openfoundry.adapters;

import java.util.List;
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
 * The chat shapes several vendors share: OpenAI-style {@code messages} (OpenAI, Databricks chat
 * endpoints, Vertex AI Model Garden), their answers and usage, and a plain transcript for endpoints
 * that take one prompt string.
 */
final class ChatFormats {
  /** Inference parameters passed to OpenAI-style endpoints under the same name. */
  private static final List<String> SAMPLING =
      List.of("temperature", "top_p", "stop", "seed", "presence_penalty", "frequency_penalty");

  private ChatFormats() {}

  /** {@code [{"role", "content"}]}, content as a string or as text and image_url parts. */
  static ArrayNode openAiMessages(Conversation conversation) {
    ArrayNode messages = Json.NODES.arrayNode();
    for (Message message : conversation.messages()) {
      ObjectNode turn = messages.addObject();
      turn.put("role", message.role().word());
      if (message.parts().size() == 1 && message.parts().getFirst() instanceof TextPart text) {
        turn.put("content", text.text());
        continue;
      }
      ArrayNode content = turn.putArray("content");
      for (Part part : message.parts()) {
        switch (part) {
          case TextPart text -> content.addObject().put("type", "text").put("text", text.text());
          case ImagePart image ->
              content
                  .addObject()
                  .put("type", "image_url")
                  .putObject("image_url")
                  .put("url", image.dataUrl());
          case ImageUrlPart url ->
              content
                  .addObject()
                  .put("type", "image_url")
                  .putObject("image_url")
                  .put("url", url.url().toString());
        }
      }
    }
    return messages;
  }

  /** Copies the sampling parameters and the token limit (as {@code maxTokensField}). */
  static void openAiParams(ObjectNode params, ObjectNode body, String maxTokensField) {
    for (String name : List.of("max_new_tokens", "max_tokens", "max_completion_tokens")) {
      if (params.path(name).isNumber()) {
        body.put(maxTokensField, params.path(name).asLong());
        break;
      }
    }
    for (String name : SAMPLING) {
      if (params.has(name) && !params.get(name).isNull()) {
        body.set(name, params.get(name).deepCopy());
      }
    }
  }

  /** {@code choices[0].message.content} as text; a refusal is read as the answer. */
  static Optional<String> openAiText(JsonNode response) {
    JsonNode message = response.path("choices").path(0).path("message");
    JsonNode content = message.path("content");
    if (content.isString()) {
      return Optional.of(content.stringValue());
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isString()) {
          text.append(part.path("text").stringValue());
        }
      }
      return Optional.of(text.toString());
    }
    if (message.path("refusal").isString()) {
      return Optional.of(message.path("refusal").stringValue());
    }
    return Optional.empty();
  }

  /** {@code usage.prompt_tokens}, {@code completion_tokens}, {@code total_tokens}. */
  static Optional<TokenUsage> openAiUsage(JsonNode response) {
    JsonNode usage = response.path("usage");
    if (!usage.path("prompt_tokens").isNumber() && !usage.path("completion_tokens").isNumber()) {
      return Optional.empty();
    }
    return Optional.of(
        TokenUsage.of(
            usage.path("prompt_tokens").asLong(0),
            usage.path("completion_tokens").asLong(0),
            usage.path("total_tokens").asLong(0)));
  }

  private static final Map<Role, String> SPEAKERS =
      Map.of(Role.SYSTEM, "System", Role.USER, "User", Role.ASSISTANT, "Assistant");

  /**
   * One prompt string: a single user message as its text; several turns as a transcript ending with
   * the assistant's cue, so that a completion model continues as the assistant.
   *
   * @throws FoundryException {@code INVALID_INPUT} when the conversation holds images
   */
  static String transcript(String adapter, Conversation conversation) {
    if (conversation.hasImages()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "the " + adapter + " adapter sends conversations as text and cannot send their images");
    }
    List<Message> messages = conversation.messages();
    if (messages.size() == 1 && messages.getFirst().role() == Role.USER) {
      return messages.getFirst().text();
    }
    StringBuilder transcript = new StringBuilder();
    for (Message message : messages) {
      transcript
          .append(SPEAKERS.get(message.role()))
          .append(": ")
          .append(message.text())
          .append("\n\n");
    }
    return transcript.append("Assistant:").toString();
  }
}
