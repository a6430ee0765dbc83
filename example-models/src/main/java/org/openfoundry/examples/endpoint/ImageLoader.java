package org.openfoundry.examples.endpoint;

import java.awt.image.BufferedImage;

/** Loads the image a data row points at. */
@FunctionalInterface
public interface ImageLoader {

  /**
   * Fetches and decodes the image at {@code url}. Throws {@link
   * org.openfoundry.problems.FoundryException} with {@code INVALID_INPUT} for a URL it will not
   * fetch and {@code UNREADABLE_ROW_DATA} for one it could not fetch or decode.
   */
  BufferedImage load(String url);
}
