package org.openfoundry.adapters;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.FetchedImage;
import org.openfoundry.chat.ImageMediaTypes;
import org.openfoundry.chat.ImagePart;
import org.openfoundry.chat.ImageUrlPart;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Part;
import org.openfoundry.chat.Role;
import org.openfoundry.chat.TextPart;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;

/**
 * Turns a data row into what language-model adapters send: a conversation of the instructions (the
 * manifest's system prompt, or the ontology's answer format) and one user message with the prompt
 * and the row's text or image.
 */
final class Rows {
  private Rows() {}

  /** The inference parameter {@code prompt} when set, else the manifest's option. */
  static Optional<String> prompt(TaskInput input, Optional<String> fallback) {
    JsonNode prompt = input.inferenceParams().path("prompt");
    if (prompt.isString() && !prompt.stringValue().isBlank()) {
      return Optional.of(prompt.stringValue());
    }
    return fallback;
  }

  static Conversation conversation(
      String adapter, TaskInput input, LanguageSettings settings, AdapterEnvironment environment) {
    List<Message> messages = new ArrayList<>();
    Optional<String> system =
        settings
            .systemPrompt()
            .or(
                () ->
                    input.ontology().isEmpty() || settings.answers().mode() == AnswerMode.TEXT
                        ? Optional.empty()
                        : Optional.of(Answers.instructions(input.ontology())));
    system.ifPresent(text -> messages.add(Message.text(Role.SYSTEM, text)));
    List<Part> parts = new ArrayList<>();
    Optional<String> prompt = prompt(input, settings.prompt());
    switch (input.mediaType()) {
      case TEXT ->
          parts.add(new TextPart(prompt.map(text -> text + "\n\n").orElse("") + input.rowData()));
      case IMAGE -> {
        prompt.ifPresent(text -> parts.add(new TextPart(text)));
        parts.add(image(input, settings.imageInput(), environment));
      }
      case VIDEO, HTML, CONVERSATIONAL -> throw unsupported(adapter, input.mediaType());
    }
    messages.add(new Message(Role.USER, parts));
    return new Conversation(messages);
  }

  static FoundryException unsupported(String adapter, AssetType mediaType) {
    return new FoundryException(
        ErrorCode.INVALID_INPUT,
        "the " + adapter + " adapter sends text and image rows, not " + mediaType.word() + " rows");
  }

  static URI url(TaskInput input) {
    try {
      URI url = new URI(input.rowData());
      if (!url.isAbsolute()) {
        throw new URISyntaxException(input.rowData(), "not an absolute URL");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "data row "
              + input.dataRowId()
              + ": expected the image's URL in row_data, got \""
              + Json.shorten(input.rowData())
              + "\"");
    }
  }

  static Part image(TaskInput input, ImageInput mode, AdapterEnvironment environment) {
    return switch (mode) {
      case URL -> new ImageUrlPart(url(input), Optional.empty());
      case INLINE -> fetch(input, environment);
    };
  }

  /** The row's image fetched under the outbound rules, checked to be an image. */
  static ImagePart fetch(TaskInput input, AdapterEnvironment environment) {
    URI url = url(input);
    FetchedImage fetched = environment.images().fetch(url, environment.maxImageBytes());
    byte[] bytes = fetched.bytes();
    if (bytes.length > environment.maxImageBytes()) {
      throw new FoundryException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "data row "
              + input.dataRowId()
              + ": the image is more than "
              + environment.maxImageBytes()
              + " bytes");
    }
    Optional<String> type = ImageMediaTypes.sniff(bytes);
    if (type.isEmpty()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "data row "
              + input.dataRowId()
              + ": "
              + url
              + " is not a PNG, JPEG, GIF or WebP image"
              + fetched.contentType().map(declared -> " (served as " + declared + ")").orElse(""));
    }
    return ImagePart.of(type.get(), bytes);
  }
}
