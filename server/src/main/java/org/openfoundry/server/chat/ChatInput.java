package org.openfoundry.server.chat;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.chat.ChatRequest;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.ConversationParser;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Fields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conversation part of a chat body: {@code prompt} (our list of messages, or a Labelbox
 * conversation) or {@code conversation} (a Labelbox multimodal-chat conversation, or our list),
 * exactly one of them, with {@code inference_params}.
 */
record ChatInput(Conversation conversation, ObjectNode inferenceParams) {
  ChatInput {
    requireNonNull(conversation, "conversation is null");
    inferenceParams = requireNonNull(inferenceParams, "inferenceParams is null").deepCopy();
  }

  /**
   * Reads the conversation fields of {@code fields}; other fields are the caller's. Problems of the
   * conversation itself are thrown at once, with paths under the field that held it.
   */
  static Optional<ChatInput> read(Fields fields, ConversationParser parser) {
    Optional<JsonNode> prompt = fields.node("prompt");
    Optional<JsonNode> conversation = fields.node("conversation");
    Optional<ObjectNode> params = fields.object("inference_params");
    if (prompt.isPresent() == conversation.isPresent()) {
      fields
          .problems()
          .error(
              "prompt",
              "expected exactly one of prompt (the messages) and conversation (a Labelbox"
                  + " conversation), got "
                  + (prompt.isPresent() ? "both" : "neither"));
      return Optional.empty();
    }
    String field = prompt.isPresent() ? "prompt" : "conversation";
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.set("prompt", prompt.orElseGet(conversation::orElseThrow));
    params.ifPresent(given -> request.set("inference_params", given));
    ChatRequest parsed;
    try {
      parsed = parser.parseChatRequest(request);
    } catch (FoundryException e) {
      throw under(field, e);
    }
    return Optional.of(new ChatInput(parsed.conversation(), parsed.inferenceParams()));
  }

  /** The parser names the conversation {@code prompt}; say the field it came in. */
  private static FoundryException under(String field, FoundryException failure) {
    if (field.equals("prompt")) {
      return failure;
    }
    List<Problem> problems = new ArrayList<>();
    for (Problem problem : failure.problems()) {
      String path =
          problem.path().startsWith("prompt")
              ? field + problem.path().substring(6)
              : problem.path();
      problems.add(
          problem.isError()
              ? Problem.error(path, problem.message())
              : Problem.warning(path, problem.message()));
    }
    return new FoundryException(failure.code(), failure.getMessage(), problems);
  }
}
