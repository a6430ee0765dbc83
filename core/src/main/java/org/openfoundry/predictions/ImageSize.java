package org.openfoundry.predictions;

import java.util.Locale;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** The pixel size of an image data row, when the platform knows it. */
public record ImageSize(int width, int height) {
  public ImageSize {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "an image size needs a positive width and height, got " + width + "x" + height);
    }
  }

  /** Reads {@code WIDTHxHEIGHT}, for example {@code 640x480}. */
  public static ImageSize parse(String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int separator = trimmed.indexOf('x');
    if (separator > 0) {
      try {
        int width = Integer.parseInt(trimmed.substring(0, separator));
        int height = Integer.parseInt(trimmed.substring(separator + 1));
        if (width > 0 && height > 0) {
          return new ImageSize(width, height);
        }
      } catch (NumberFormatException notNumbers) {
        // falls through to the message below, which says what was expected
      }
    }
    throw new FoundryException(
        ErrorCode.INVALID_INPUT,
        "image size: expected WIDTHxHEIGHT in pixels such as 640x480, got \"" + text + "\"");
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
