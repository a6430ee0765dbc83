package org.openfoundry.chat;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * How large a conversation may be: messages, total bytes (text, images and URLs), bytes of one
 * image, and the image media types accepted.
 */
public record ConversationLimits(
    int maxMessages, long maxTotalBytes, long maxImageBytes, Set<String> imageMediaTypes) {

  public static final Set<String> COMMON_IMAGE_TYPES =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  public ConversationLimits {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1, got " + maxMessages);
    }
    if (maxImageBytes < 1 || maxTotalBytes < maxImageBytes) {
      throw new IllegalArgumentException(
          "expected 1 <= maxImageBytes <= maxTotalBytes, got "
              + maxImageBytes
              + " and "
              + maxTotalBytes);
    }
    requireNonNull(imageMediaTypes, "imageMediaTypes is null");
    imageMediaTypes = Set.copyOf(imageMediaTypes);
  }

  /** 256 messages, 32 MiB in all, 16 MiB an image, PNG, JPEG, GIF and WebP. */
  public static ConversationLimits defaults() {
    return new ConversationLimits(256, 32L << 20, 16L << 20, COMMON_IMAGE_TYPES);
  }
}
