package org.openfoundry.chat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Real image files for the conversation tests. */
final class TestImages {
  private TestImages() {}

  static byte[] png(int width, int height) {
    return write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png");
  }

  static byte[] jpeg(int width, int height) {
    return write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "jpg");
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
