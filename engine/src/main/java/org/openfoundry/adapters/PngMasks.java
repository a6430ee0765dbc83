package org.openfoundry.adapters;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.openfoundry.rle.BinaryMask;

/**
 * Reads the base64 PNG masks of segmentation models (white where the object is, black elsewhere)
 * into bit masks. The size is read from the header first, so that a tiny file claiming billions of
 * pixels is refused before any is decoded.
 */
final class PngMasks {
  static final long MAX_PIXELS = 64L * 1024 * 1024;

  private PngMasks() {}

  /**
   * The mask, or an exception whose message says what is wrong.
   *
   * @throws IllegalArgumentException for what is not a readable PNG within {@link #MAX_PIXELS}
   */
  static BinaryMask read(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid base64 (" + e.getMessage() + ")", e);
    }
    try (ImageInputStream stream =
        ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers =
          stream == null ? Collections.emptyIterator() : ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("not a PNG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          throw new IllegalArgumentException(
              "a " + width + " x " + height + " mask has more than " + MAX_PIXELS + " pixels");
        }
        return toMask(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable image (" + e.getMessage() + ")", e);
    }
  }

  private static BinaryMask toMask(BufferedImage image) {
    BinaryMask mask = new BinaryMask(image.getHeight(), image.getWidth());
    if (image.getColorModel() instanceof IndexColorModel) {
      // A palette index says nothing by itself: black in the palette is the background.
      for (int row = 0; row < image.getHeight(); row++) {
        for (int column = 0; column < image.getWidth(); column++) {
          if ((image.getRGB(column, row) & 0xFFFFFF) != 0) {
            mask.set(row, column, true);
          }
        }
      }
      return mask;
    }
    Raster raster = image.getRaster();
    int[] samples = new int[image.getWidth()];
    for (int row = 0; row < image.getHeight(); row++) {
      raster.getSamples(0, row, image.getWidth(), 1, 0, samples);
      for (int column = 0; column < samples.length; column++) {
        if (samples[column] != 0) {
          mask.set(row, column, true);
        }
      }
    }
    return mask;
  }
}
