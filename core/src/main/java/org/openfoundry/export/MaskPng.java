package org.openfoundry.export;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.openfoundry.rle.RleMask;

/** Draws a run-length mask as a single-channel PNG whose pixels are 0 or 1. */
final class MaskPng {
  private MaskPng() {}

  static byte[] png(RleMask mask) {
    int height = mask.height();
    int width = mask.width();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    int[] counts = mask.counts();
    long position = 0;
    for (int run = 0; run < counts.length; run++) {
      // Runs are column-major and alternate, zeros first: the odd runs are the set pixels.
      if (run % 2 == 1) {
        for (long index = position; index < position + counts[run]; index++) {
          int column = (int) (index / height);
          int row = (int) (index % height);
          pixels[row * width + column] = 1;
        }
      }
      position += counts[run];
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException cannotHappenInMemory) {
      throw new UncheckedIOException(cannotHappenInMemory);
    }
    return bytes.toByteArray();
  }

  static String base64(RleMask mask) {
    return Base64.getEncoder().encodeToString(png(mask));
  }
}
