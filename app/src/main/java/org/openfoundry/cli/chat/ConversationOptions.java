package org.openfoundry.cli.chat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.openfoundry.cli.models.InferenceParams;
import org.openfoundry.params.ParameterSchema;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The options that make the next message and the inference parameters. */
final class ConversationOptions {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Option(
      names = "--system",
      paramLabel = "TEXT",
      description = "Instructions sent first, as the system message.")
  String system;

  @Option(
      names = "--image",
      paramLabel = "FILE|URL",
      description =
          "An image to send with the message: a file (sent inline) or an http(s) URL. Repeatable.")
  List<String> images = new ArrayList<>();

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "An inference parameter, typed by the model's parameter schema (confidence=0.5 is a"
              + " number there). Repeatable.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--use-attachments",
      description = "Have the server fetch image URLs and send them inline (use_attachments).")
  boolean useAttachments;

  /** The messages to send: the system message, the history, then the new user message. */
  ArrayNode prompt(List<JsonNode> history, String message) {
    ArrayNode prompt = JSON.createArrayNode();
    if (system != null && !system.isBlank()) {
      ObjectNode instructions = prompt.addObject().put("role", "system");
      instructions.putArray("parts").addObject().put("text", system);
    }
    history.stream()
        .filter(turn -> !(system != null && turn.path("role").asString("").equals("system")))
        .forEach(prompt::add);
    ObjectNode user = prompt.addObject().put("role", "user");
    ArrayNode parts = user.putArray("parts");
    parts.addObject().put("text", message);
    for (String image : images) {
      parts.add(imagePart(image));
    }
    return prompt;
  }

  /** The parameters, each value typed by {@code schema} when the model declares one. */
  ObjectNode inferenceParams(ParameterSchema schema) {
    return withAttachments(schema.parseAssignments(params));
  }

  /** The parameters typed by a model's manifest, as {@code foundry runs} types them. */
  ObjectNode inferenceParams(JsonNode manifest) {
    return withAttachments(InferenceParams.parse(manifest, params));
  }

  private ObjectNode withAttachments(ObjectNode values) {
    if (useAttachments) {
      values.put("use_attachments", true);
    }
    return values;
  }

  private static ObjectNode imagePart(String image) {
    String lower = image.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return JSON.createObjectNode().put("image_url", image);
    }
    try {
      byte[] bytes = Files.readAllBytes(Path.of(image));
      return JSON.createObjectNode().put("image", Base64.getEncoder().encodeToString(bytes));
    } catch (NoSuchFileException e) {
      throw new FoundryException(ErrorCode.INVALID_INPUT, "--image " + image + ": no such file");
    } catch (IOException e) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "--image " + image + ": cannot read it: " + e.getMessage());
    }
  }
}
