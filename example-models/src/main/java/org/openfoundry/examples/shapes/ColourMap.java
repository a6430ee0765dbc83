package org.openfoundry.examples.shapes;

import java.awt.image.BufferedImage;

/** The colour class and class membership of every pixel of an image, row-major. */
final class ColourMap {
  private final int width;
  private final int height;
  private final PixelClass[] classes;
  private final float[] membership;

  private ColourMap(int width, int height, PixelClass[] classes, float[] membership) {
    this.width = width;
    this.height = height;
    this.classes = classes;
    this.membership = membership;
  }

  static ColourMap of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    PixelClass[] classes = new PixelClass[rgb.length];
    float[] membership = new float[rgb.length];
    for (int index = 0; index < rgb.length; index++) {
      Hsv colour = Hsv.of(rgb[index] & 0xffffff);
      PixelClass pixelClass = PixelClass.of(colour);
      classes[index] = pixelClass;
      membership[index] = (float) pixelClass.membership(colour);
    }
    return new ColourMap(width, height, classes, membership);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  int size() {
    return classes.length;
  }

  PixelClass classAt(int index) {
    return classes[index];
  }

  double membershipAt(int index) {
    return membership[index];
  }
}
