package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;

/**
 * Replaces the image URLs of a conversation by the images themselves, fetched through an {@link
 * ImageFetcher} under the outbound rules, each capped at the image size limit and checked to be an
 * accepted image type; the conversation as a whole stays within the total size limit.
 */
public final class AttachmentInliner {
  /** The inference parameter that asks for attachments to be fetched and inlined. */
  public static final String USE_ATTACHMENTS = "use_attachments";

  private final ImageFetcher fetcher;
  private final ConversationLimits limits;
  private final ImageCheck images;

  public AttachmentInliner(ImageFetcher fetcher, ConversationLimits limits) {
    this.fetcher = requireNonNull(fetcher, "fetcher is null");
    this.limits = requireNonNull(limits, "limits is null");
    this.images = new ImageCheck(limits);
  }

  /** The conversation inlined when the parameters say {@code use_attachments: true}, else as is. */
  public Conversation prepare(Conversation conversation, JsonNode inferenceParams) {
    requireNonNull(inferenceParams, "inferenceParams is null");
    if (inferenceParams.path(USE_ATTACHMENTS).asBoolean(false)) {
      return inline(conversation);
    }
    return conversation;
  }

  /**
   * Fetches every image URL and returns the conversation with inline images in their place.
   *
   * @throws FoundryException {@code PAYLOAD_TOO_LARGE} past a size limit, {@code INVALID_INPUT} for
   *     what is not an accepted image, or what the fetcher throws
   */
  public Conversation inline(Conversation conversation) {
    requireNonNull(conversation, "conversation is null");
    ImageCheck.Reading reading = new ImageCheck.Reading();
    List<Message> messages = new ArrayList<>();
    long total = 0;
    for (int index = 0; index < conversation.messages().size(); index++) {
      Message message = conversation.messages().get(index);
      List<Part> parts = new ArrayList<>();
      for (int number = 0; number < message.parts().size(); number++) {
        String path = "prompt[" + index + "].parts[" + number + "]";
        Part part = message.parts().get(number);
        Optional<Part> inlined =
            switch (part) {
              case TextPart text -> Optional.of(text);
              case ImagePart image -> Optional.of(image);
              case ImageUrlPart url -> fetch(url, path, reading);
            };
        if (inlined.isPresent()) {
          total += inlined.get().size();
          parts.add(inlined.get());
        }
        if (total > limits.maxTotalBytes()) {
          throw new FoundryException(
              ErrorCode.PAYLOAD_TOO_LARGE,
              "the conversation with its images is more than "
                  + limits.maxTotalBytes()
                  + " bytes, past "
                  + path);
        }
      }
      if (parts.size() == message.parts().size()) {
        messages.add(new Message(message.role(), parts));
      }
    }
    if (reading.problems().hasErrors()) {
      throw new FoundryException(
          reading.isTooLarge() ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.INVALID_INPUT,
          "cannot inline the conversation's images",
          reading.problems().all());
    }
    return new Conversation(messages);
  }

  private Optional<Part> fetch(ImageUrlPart url, String path, ImageCheck.Reading reading) {
    FetchedImage fetched = fetcher.fetch(url.url(), limits.maxImageBytes());
    Optional<String> declared = url.mediaType().or(fetched::contentType);
    return images.fromBytes(fetched.bytes(), declared, path, reading).map(Part.class::cast);
  }
}
