package org.openfoundry.cli.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A conversation kept in a file between calls: our list of messages, or a chat request holding one
 * in {@code prompt}. A missing file is an empty history.
 */
final class History {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private History() {}

  static List<JsonNode> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode json;
    try {
      json = JSON.readTree(Files.readString(file));
    } catch (JacksonException e) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "--history " + file + ": not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode messages = json.isObject() ? json.path("prompt") : json;
    if (!messages.isArray()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "--history "
              + file
              + ": expected a list of messages [{role, parts}] or {\"prompt\": [...]}");
    }
    List<JsonNode> turns = new ArrayList<>();
    messages.forEach(turns::add);
    return turns;
  }

  /** Writes the messages sent and the assistant's reply, for the next turn. */
  static void write(Path file, JsonNode sent, String reply) {
    ArrayNode messages = ((ArrayNode) sent).deepCopy();
    ObjectNode assistant = messages.addObject().put("role", "assistant");
    assistant.putArray("parts").addObject().put("text", reply);
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(messages));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
