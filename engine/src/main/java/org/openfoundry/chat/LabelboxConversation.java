package org.openfoundry.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the Labelbox multimodal-chat conversation JSON ({@code actors}, {@code messages} keyed by
 * id with {@code actorId}, {@code content} items and {@code childMessageIds}, and {@code
 * rootMessageIds}) into one linear conversation. The messages form a tree where several models
 * answered the same turn; the path taken follows the preferred model where it answered, else the
 * first reply, and ends at the last human message: the replies after it are what a run produces.
 */
final class LabelboxConversation {
  static final String TYPE = "application/vnd.labelbox.conversational.model-chat-evaluation";

  private final ConversationParser parser;
  private final JsonNode root;
  private final String base;
  private final Optional<String> preferredModel;
  private final ImageCheck.Reading reading;
  private final Map<String, Actor> actors = new HashMap<>();

  LabelboxConversation(
      ConversationParser parser,
      JsonNode root,
      String base,
      Optional<String> preferredModel,
      ImageCheck.Reading reading) {
    this.parser = parser;
    this.root = root;
    this.base = base;
    this.preferredModel = preferredModel;
    this.reading = reading;
  }

  private record Actor(String id, Role role, Set<String> names) {}

  Optional<Conversation> read() {
    if (!root.isObject()) {
      error("", "expected a Labelbox conversation object, got " + Json.describe(root));
      return Optional.empty();
    }
    JsonNode type = root.path("type");
    if (!type.isMissingNode() && !(type.isString() && type.stringValue().equals(TYPE))) {
      error("type", "expected \"" + TYPE + "\", got " + Json.describe(type));
    }
    readActors();
    JsonNode messages = root.path("messages");
    if (!messages.isObject()) {
      error("messages", "expected an object of messages by id, got " + Json.describe(messages));
      return Optional.empty();
    }
    List<String> path = walk(messages);
    if (reading.problems().hasErrors()) {
      return Optional.empty();
    }
    int lastHuman = -1;
    for (int index = 0; index < path.size(); index++) {
      Optional<Actor> actor = actorOf(messages.path(path.get(index)), path.get(index));
      if (actor.isPresent() && actor.get().role() == Role.USER) {
        lastHuman = index;
      }
    }
    if (reading.problems().hasErrors()) {
      return Optional.empty();
    }
    if (lastHuman < 0) {
      error("messages", "the conversation has no message from a human actor to answer");
      return Optional.empty();
    }
    List<Message> conversation = new ArrayList<>();
    for (String id : path.subList(0, lastHuman + 1)) {
      toMessage(id, messages.path(id)).ifPresent(conversation::add);
    }
    return parser.conversation(conversation, at("messages"), reading);
  }

  private void readActors() {
    JsonNode node = root.path("actors");
    if (!node.isObject()) {
      error("actors", "expected an object of actors by id, got " + Json.describe(node));
      return;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String path = "actors." + entry.getKey();
      JsonNode roleNode = entry.getValue().path("role");
      Optional<Role> role =
          switch (roleNode.isString() ? roleNode.stringValue() : "") {
            case "human", "user" -> Optional.of(Role.USER);
            case "model", "assistant" -> Optional.of(Role.ASSISTANT);
            case "system" -> Optional.of(Role.SYSTEM);
            default -> Optional.empty();
          };
      if (role.isEmpty()) {
        error(path + ".role", "expected human, model or system, got " + Json.describe(roleNode));
        continue;
      }
      Set<String> names = new HashSet<>();
      names.add(entry.getKey());
      JsonNode metadata = entry.getValue().path("metadata");
      for (String key : List.of("modelConfigId", "modelConfigName", "name")) {
        if (metadata.path(key).isString()) {
          names.add(metadata.path(key).stringValue());
        }
      }
      actors.put(entry.getKey(), new Actor(entry.getKey(), role.get(), names));
    }
  }

  private List<String> walk(JsonNode messages) {
    List<String> path = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String from = "rootMessageIds";
    Optional<String> current = choose(ids(root.path("rootMessageIds"), from), messages);
    if (current.isEmpty() && !reading.problems().hasErrors()) {
      error(from, "the conversation has no root message");
    }
    while (current.isPresent()) {
      String id = current.get();
      if (!messages.has(id)) {
        error(from, "no message has the id \"" + id + "\"");
        break;
      }
      if (!seen.add(id)) {
        error(from, "the replies loop back to message \"" + id + "\"");
        break;
      }
      if (path.size() == parser.limits().maxMessages()) {
        reading.tooLarge(
            at("messages"),
            "the conversation is longer than the limit of "
                + parser.limits().maxMessages()
                + " messages");
        break;
      }
      path.add(id);
      from = "messages." + id + ".childMessageIds";
      current = choose(ids(messages.path(id).path("childMessageIds"), from), messages);
    }
    return path;
  }

  private List<String> ids(JsonNode node, String path) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      error(path, "expected a list of message ids, got " + Json.describe(node));
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (int index = 0; index < node.size(); index++) {
      if (!node.get(index).isString()) {
        error(
            path + "[" + index + "]",
            "expected a message id, got " + Json.describe(node.get(index)));
        continue;
      }
      ids.add(node.get(index).stringValue());
    }
    return ids;
  }

  private Optional<String> choose(List<String> replies, JsonNode messages) {
    if (replies.isEmpty()) {
      return Optional.empty();
    }
    if (preferredModel.isPresent()) {
      for (String id : replies) {
        Actor actor = actors.get(messages.path(id).path("actorId").asString(""));
        if (actor != null
            && actor.role() == Role.ASSISTANT
            && actor.names().contains(preferredModel.get())) {
          return Optional.of(id);
        }
      }
    }
    return Optional.of(replies.getFirst());
  }

  private Optional<Actor> actorOf(JsonNode message, String id) {
    JsonNode actorId = message.path("actorId");
    Actor actor = actorId.isString() ? actors.get(actorId.stringValue()) : null;
    if (actor == null) {
      error(
          "messages." + id + ".actorId",
          "expected the id of one of the actors, got " + Json.describe(actorId));
      return Optional.empty();
    }
    return Optional.of(actor);
  }

  private Optional<Message> toMessage(String id, JsonNode message) {
    String path = "messages." + id + ".content";
    Optional<Actor> actor = actorOf(message, id);
    JsonNode content = message.path("content");
    if (!content.isArray() || content.isEmpty()) {
      error(path, "expected a non-empty list of content items, got " + Json.describe(content));
      return Optional.empty();
    }
    List<Part> parts = new ArrayList<>();
    for (int index = 0; index < content.size(); index++) {
      toPart(content.get(index), path + "[" + index + "]").ifPresent(parts::add);
    }
    if (actor.isEmpty() || parts.size() != content.size()) {
      return Optional.empty();
    }
    return Optional.of(new Message(actor.get().role(), parts));
  }

  private Optional<Part> toPart(JsonNode item, String path) {
    JsonNode type = item.path("type");
    String kind = type.isString() ? type.stringValue() : "";
    switch (kind) {
      case "text", "html" -> {
        JsonNode text = item.path("content");
        if (!text.isString()) {
          error(path + ".content", "expected text, got " + Json.describe(text));
          return Optional.empty();
        }
        return Optional.of(new TextPart(text.stringValue()));
      }
      case "fileData" -> {
        Optional<String> mimeType =
            item.path("mimeType").isString()
                ? Optional.of(ImageMediaTypes.normalize(item.path("mimeType").stringValue()))
                : Optional.empty();
        if (mimeType.isPresent() && !mimeType.get().startsWith("image/")) {
          error(
              path + ".mimeType",
              "only images can be sent to a model in a conversation, got " + mimeType.get());
          return Optional.empty();
        }
        JsonNode uri = item.path("fileUri");
        if (!uri.isString()) {
          error(path + ".fileUri", "expected the file's URL, got " + Json.describe(uri));
          return Optional.empty();
        }
        return parser.imageUrl(uri.stringValue(), mimeType, at(path + ".fileUri"), reading);
      }
      default -> {
        error(
            path + ".type",
            "expected a content item of type text, html or fileData, got " + Json.describe(type));
        return Optional.empty();
      }
    }
  }

  private void error(String path, String message) {
    reading.problems().error(at(path), message);
  }

  private String at(String path) {
    if (base.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? base : base + "." + path;
  }
}
