package org.openfoundry.chat;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openfoundry.problems.Problems;

/**
 * Turns base64 text, data URLs and fetched bytes into checked {@link ImagePart}s: valid base64, at
 * most the image size limit, and an accepted media type recognised from the bytes.
 */
final class ImageCheck {
  /** The longest media type and parameters of a data URL, before its comma. */
  static final int MAX_DATA_URL_HEADER = 1024;

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final ConversationLimits limits;

  ImageCheck(ConversationLimits limits) {
    this.limits = limits;
  }

  static boolean isDataUrl(String text) {
    return text.regionMatches(true, 0, "data:", 0, 5);
  }

  /** Base64 text or a {@code data:} URL, with the media type declared beside it if any. */
  Optional<ImagePart> fromText(
      String text, Optional<String> declared, String path, Reading reading) {
    Optional<String> type = declared;
    String base64 = text;
    if (isDataUrl(text)) {
      // Split by hand: a pattern over the parameters recursed once per parameter, and a data URL
      // with a hundred thousand of them overflowed the stack.
      int comma = text.indexOf(',');
      String header = comma < 0 ? "" : text.substring("data:".length(), comma);
      if (header.length() > MAX_DATA_URL_HEADER) {
        reading
            .problems()
            .error(
                path,
                "the data URL's media type and parameters are longer than "
                    + MAX_DATA_URL_HEADER
                    + " characters");
        return Optional.empty();
      }
      int firstParameter = header.indexOf(';');
      if (comma < 0 || !header.endsWith(";base64") || firstParameter < 0) {
        reading.problems().error(path, "a data URL must read data:<media type>;base64,<data>");
        return Optional.empty();
      }
      String mediaType = header.substring(0, firstParameter);
      if (!mediaType.isBlank()) {
        type = Optional.of(mediaType);
      }
      base64 = text.substring(comma + 1);
    }
    base64 = WHITESPACE.matcher(base64).replaceAll("");
    long estimated = (long) base64.length() / 4 * 3;
    if (estimated > limits.maxImageBytes() + 2) {
      reading.tooLarge(
          path,
          "the image is about "
              + estimated
              + " bytes, more than the limit of "
              + limits.maxImageBytes()
              + " bytes");
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException standard) {
      try {
        bytes = Base64.getUrlDecoder().decode(base64);
      } catch (IllegalArgumentException urlSafe) {
        reading.problems().error(path, "not valid base64 (" + standard.getMessage() + ")");
        return Optional.empty();
      }
    }
    return fromBytes(bytes, type, path, reading);
  }

  Optional<ImagePart> fromBytes(
      byte[] bytes, Optional<String> declared, String path, Reading reading) {
    if (bytes.length == 0) {
      reading.problems().error(path, "the image is empty");
      return Optional.empty();
    }
    if (bytes.length > limits.maxImageBytes()) {
      reading.tooLarge(
          path,
          "the image is "
              + bytes.length
              + " bytes, more than the limit of "
              + limits.maxImageBytes()
              + " bytes");
      return Optional.empty();
    }
    Optional<String> sniffed = ImageMediaTypes.sniff(bytes);
    Optional<String> stated = declared.map(ImageMediaTypes::normalize);
    if (sniffed.isEmpty()) {
      // A type we cannot recognise (HEIC, say) is taken on trust only when it is accepted.
      if (stated.isPresent()
          && limits.imageMediaTypes().contains(stated.get())
          && !ConversationLimits.COMMON_IMAGE_TYPES.contains(stated.get())) {
        return Optional.of(ImagePart.of(stated.get(), bytes));
      }
      reading
          .problems()
          .error(
              path,
              "the bytes are not a PNG, JPEG, GIF or WebP image"
                  + stated.map(type -> " (declared " + type + ")").orElse(""));
      return Optional.empty();
    }
    if (!limits.imageMediaTypes().contains(sniffed.get())) {
      reading
          .problems()
          .error(
              path,
              "image type "
                  + sniffed.get()
                  + " is not accepted, expected one of "
                  + String.join(", ", limits.imageMediaTypes().stream().sorted().toList()));
      return Optional.empty();
    }
    return Optional.of(ImagePart.of(sniffed.get(), bytes));
  }

  /** The problems of one read, and whether any of them is about size. */
  static final class Reading {
    private final Problems problems = new Problems();
    private boolean tooLarge;

    Problems problems() {
      return problems;
    }

    void tooLarge(String path, String message) {
      tooLarge = true;
      problems.error(path, message);
    }

    boolean isTooLarge() {
      return tooLarge;
    }
  }
}
