package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads conversations: the {@code prompt} of our chat request, and the Labelbox multimodal-chat
 * conversation JSON. Every problem is reported at once, each with its JSON path ({@code
 * prompt[2].parts[0].image: not valid base64}); size limits fail with {@code PAYLOAD_TOO_LARGE},
 * everything else with {@code INVALID_INPUT}.
 */
public final class ConversationParser {
  private static final Set<String> REQUEST_KEYS = Set.of("prompt", "inference_params");
  private static final Set<String> MESSAGE_KEYS = Set.of("role", "parts");
  private static final Set<String> PART_KEYS =
      Set.of("text", "image", "image_url", "media_type", "mime_type", "type");

  private final ConversationLimits limits;
  private final ImageCheck images;

  public ConversationParser(ConversationLimits limits) {
    this.limits = requireNonNull(limits, "limits is null");
    this.images = new ImageCheck(limits);
  }

  /**
   * Reads {@code {"prompt": ..., "inference_params": {...}}}; the prompt is our list of messages or
   * a Labelbox conversation.
   */
  public ChatRequest parseChatRequest(JsonNode body) {
    requireNonNull(body, "body is null");
    ImageCheck.Reading reading = new ImageCheck.Reading();
    if (!body.isObject()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "a chat request is a JSON object with prompt and inference_params, got "
              + Json.describe(body));
    }
    for (String key : body.propertyNames()) {
      if (!REQUEST_KEYS.contains(key)) {
        reading.problems().error(key, "unknown key, expected prompt and inference_params");
      }
    }
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    JsonNode given = body.path("inference_params");
    if (given.isObject()) {
      params = (ObjectNode) given;
    } else if (!given.isMissingNode() && !given.isNull()) {
      reading
          .problems()
          .error("inference_params", "expected an object, got " + Json.describe(given));
    }
    Optional<Conversation> conversation = Optional.empty();
    JsonNode prompt = body.path("prompt");
    if (prompt.isMissingNode() || prompt.isNull()) {
      reading.problems().error("prompt", "required: the conversation");
    } else {
      conversation = read(prompt, "prompt", Optional.empty(), reading);
    }
    finish(reading, "invalid chat request");
    return new ChatRequest(conversation.orElseThrow(), params);
  }

  /** Reads our list of messages or a Labelbox conversation (object, or JSON text holding one). */
  public Conversation parse(JsonNode conversation) {
    requireNonNull(conversation, "conversation is null");
    ImageCheck.Reading reading = new ImageCheck.Reading();
    Optional<Conversation> read = read(conversation, "", Optional.empty(), reading);
    finish(reading, "invalid conversation");
    return read.orElseThrow();
  }

  /**
   * Reads a Labelbox multimodal-chat conversation, following at each branch the reply of {@code
   * preferredModel} (an actor id, model config id or model config name) when given, else the first
   * reply.
   */
  public Conversation parseLabelbox(JsonNode conversation, Optional<String> preferredModel) {
    requireNonNull(conversation, "conversation is null");
    requireNonNull(preferredModel, "preferredModel is null");
    ImageCheck.Reading reading = new ImageCheck.Reading();
    Optional<Conversation> read =
        new LabelboxConversation(
                this, unwrap(conversation, "", reading), "", preferredModel, reading)
            .read();
    finish(reading, "invalid Labelbox conversation");
    return read.orElseThrow();
  }

  /** Whether a JSON value looks like a Labelbox conversation rather than our list of messages. */
  public static boolean isLabelbox(JsonNode conversation) {
    JsonNode node = conversation.has("row_data") ? conversation.path("row_data") : conversation;
    return node.isObject() && (node.has("messages") || node.has("rootMessageIds"));
  }

  private Optional<Conversation> read(
      JsonNode node, String path, Optional<String> preferredModel, ImageCheck.Reading reading) {
    JsonNode conversation = unwrap(node, path, reading);
    if (conversation.isArray()) {
      return readMessages(conversation, path, reading);
    }
    if (isLabelbox(conversation)) {
      return new LabelboxConversation(this, conversation, path, preferredModel, reading).read();
    }
    // Text that is not a conversation's JSON was reported while it was unwrapped.
    if (!(node.isString() && conversation.isMissingNode())) {
      reading
          .problems()
          .error(
              path,
              "expected a list of messages or a Labelbox conversation, got "
                  + Json.describe(conversation));
    }
    return Optional.empty();
  }

  /** A conversation sent as JSON text (as a data row stores it) is read as the JSON it holds. */
  private JsonNode unwrap(JsonNode node, String path, ImageCheck.Reading reading) {
    JsonNode value = node;
    if (value.isString()) {
      try {
        value = UntrustedJson.mapper().readTree(value.stringValue());
        if (value.isMissingNode()) {
          reading.problems().error(path, "expected a conversation as JSON, got empty text");
        }
      } catch (JacksonException e) {
        Optional<String> limit = UntrustedJson.limitPassed(e);
        if (limit.isPresent()) {
          reading.tooLarge(path, "the conversation's JSON text is too large: " + limit.get());
        } else {
          reading
              .problems()
              .error(path, "expected a conversation as JSON, got text that is not JSON");
        }
        return MissingNode.getInstance();
      }
    }
    if (value.isObject() && value.path("row_data").isObject()) {
      value = value.path("row_data");
    }
    return value;
  }

  private Optional<Conversation> readMessages(
      JsonNode array, String path, ImageCheck.Reading reading) {
    if (array.isEmpty()) {
      reading.problems().error(path, "the conversation has no messages");
      return Optional.empty();
    }
    if (array.size() > limits.maxMessages()) {
      reading.tooLarge(
          path,
          "the conversation has "
              + array.size()
              + " messages, more than the limit of "
              + limits.maxMessages());
      return Optional.empty();
    }
    List<Message> messages = new ArrayList<>();
    for (int index = 0; index < array.size(); index++) {
      readMessage(array.get(index), path + "[" + index + "]", reading).ifPresent(messages::add);
    }
    return conversation(messages, path, reading);
  }

  private Optional<Message> readMessage(JsonNode node, String path, ImageCheck.Reading reading) {
    if (!node.isObject()) {
      reading
          .problems()
          .error(path, "expected a message {role, parts}, got " + Json.describe(node));
      return Optional.empty();
    }
    for (String key : node.propertyNames()) {
      if (!MESSAGE_KEYS.contains(key)) {
        reading.problems().error(path + "." + key, "unknown key, a message has role and parts");
      }
    }
    Optional<Role> role = Optional.empty();
    JsonNode roleNode = node.path("role");
    if (!roleNode.isString()) {
      reading
          .problems()
          .error(
              path + ".role",
              "expected one of system, user, assistant, got " + Json.describe(roleNode));
    } else {
      role = Role.parse(roleNode.stringValue());
      if (role.isEmpty()) {
        reading
            .problems()
            .error(
                path + ".role",
                "expected one of system, user, assistant, got \"" + roleNode.stringValue() + "\"");
      }
    }
    JsonNode partsNode = node.path("parts");
    if (!partsNode.isArray() || partsNode.isEmpty()) {
      reading
          .problems()
          .error(
              path + ".parts",
              "expected a non-empty list of parts, got " + Json.describe(partsNode));
      return Optional.empty();
    }
    List<Part> parts = new ArrayList<>();
    for (int index = 0; index < partsNode.size(); index++) {
      readPart(partsNode.get(index), path + ".parts[" + index + "]", reading).ifPresent(parts::add);
    }
    if (role.isEmpty() || parts.size() != partsNode.size()) {
      return Optional.empty();
    }
    return Optional.of(new Message(role.get(), parts));
  }

  private Optional<Part> readPart(JsonNode node, String path, ImageCheck.Reading reading) {
    if (!node.isObject()) {
      reading
          .problems()
          .error(path, "expected a part {text} or {image, media_type}, got " + Json.describe(node));
      return Optional.empty();
    }
    for (String key : node.propertyNames()) {
      if (!PART_KEYS.contains(key)) {
        reading
            .problems()
            .error(path + "." + key, "unknown key, a part holds text, image or image_url");
      }
    }
    List<String> present =
        List.of("text", "image", "image_url").stream().filter(node::has).toList();
    if (present.size() != 1) {
      reading
          .problems()
          .error(
              path,
              "a part holds exactly one of text, image, image_url, got "
                  + (present.isEmpty() ? "none" : String.join(" and ", present)));
      return Optional.empty();
    }
    String key = present.getFirst();
    JsonNode value = node.get(key);
    if (!value.isString()) {
      reading.problems().error(path + "." + key, "expected a string, got " + Json.describe(value));
      return Optional.empty();
    }
    Optional<String> declared = declaredType(node);
    return switch (key) {
      case "text" -> Optional.of(new TextPart(value.stringValue()));
      case "image" ->
          images
              .fromText(value.stringValue(), declared, path + ".image", reading)
              .map(Part.class::cast);
      default -> imageUrl(value.stringValue(), declared, path + ".image_url", reading);
    };
  }

  private static Optional<String> declaredType(JsonNode part) {
    for (String key : List.of("media_type", "mime_type")) {
      if (part.path(key).isString() && !part.path(key).stringValue().isBlank()) {
        return Optional.of(part.path(key).stringValue());
      }
    }
    return Optional.empty();
  }

  /** An image URL: data URLs are decoded now; http and https are kept for inlining later. */
  Optional<Part> imageUrl(
      String text, Optional<String> declared, String path, ImageCheck.Reading reading) {
    if (ImageCheck.isDataUrl(text)) {
      return images.fromText(text, declared, path, reading).map(Part.class::cast);
    }
    try {
      URI url = new URI(text);
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        reading
            .problems()
            .error(path, "expected an http, https or data URL, got \"" + Json.shorten(text) + "\"");
        return Optional.empty();
      }
      return Optional.of(new ImageUrlPart(url, declared.map(ImageMediaTypes::normalize)));
    } catch (URISyntaxException e) {
      reading.problems().error(path, "not a valid URL: " + e.getReason());
      return Optional.empty();
    }
  }

  ImageCheck images() {
    return images;
  }

  ConversationLimits limits() {
    return limits;
  }

  /** A conversation from read messages, once its size is known to be within the limits. */
  Optional<Conversation> conversation(
      List<Message> messages, String path, ImageCheck.Reading reading) {
    if (reading.problems().hasErrors() || messages.isEmpty()) {
      return Optional.empty();
    }
    Conversation conversation = new Conversation(messages);
    if (conversation.size() > limits.maxTotalBytes()) {
      reading.tooLarge(
          path,
          "the conversation is "
              + conversation.size()
              + " bytes, more than the limit of "
              + limits.maxTotalBytes()
              + " bytes");
      return Optional.empty();
    }
    return Optional.of(conversation);
  }

  private static void finish(ImageCheck.Reading reading, String message) {
    if (!reading.problems().hasErrors()) {
      return;
    }
    throw new FoundryException(
        reading.isTooLarge() ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INVALID_INPUT,
        message,
        reading.problems().all());
  }
}
