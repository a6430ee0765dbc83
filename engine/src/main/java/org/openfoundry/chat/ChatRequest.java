package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A direct run's input: the conversation and the inference parameters. */
public record ChatRequest(Conversation conversation, ObjectNode inferenceParams) {
  public ChatRequest {
    requireNonNull(conversation, "conversation is null");
    requireNonNull(inferenceParams, "inferenceParams is null");
    inferenceParams = inferenceParams.deepCopy();
  }

  @Override
  public ObjectNode inferenceParams() {
    return inferenceParams.deepCopy();
  }

  /**
   * The chat request of the wire contract: {@code {"prompt": [{"role", "parts"}],
   * "inference_params"}}, images as {@code {"image": base64, "media_type"}} and URLs as {@code
   * {"image_url"}}.
   */
  public ObjectNode toJson() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ObjectNode body = nodes.objectNode();
    ArrayNode prompt = body.putArray("prompt");
    for (Message message : conversation.messages()) {
      ObjectNode turn = prompt.addObject();
      turn.put("role", message.role().word());
      ArrayNode parts = turn.putArray("parts");
      for (Part part : message.parts()) {
        switch (part) {
          case TextPart text -> parts.addObject().put("text", text.text());
          case ImagePart image ->
              parts.addObject().put("image", image.data()).put("media_type", image.mediaType());
          case ImageUrlPart url -> {
            ObjectNode node = parts.addObject().put("image_url", url.url().toString());
            url.mediaType().ifPresent(type -> node.put("media_type", type));
          }
        }
      }
    }
    body.set("inference_params", inferenceParams.deepCopy());
    return body;
  }
}
