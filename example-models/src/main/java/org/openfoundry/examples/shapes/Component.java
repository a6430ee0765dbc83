package org.openfoundry.examples.shapes;

import static java.util.Objects.requireNonNull;

/**
 * One 8-connected component of pixels of a single colour class: its area, its bounding box
 * (inclusive pixel coordinates) and the summed class membership of its pixels.
 */
record Component(
    int id,
    PixelClass pixelClass,
    int area,
    int minX,
    int minY,
    int maxX,
    int maxY,
    double membershipSum) {

  Component {
    requireNonNull(pixelClass, "pixelClass is null");
    if (area <= 0 || minX > maxX || minY > maxY) {
      throw new IllegalArgumentException("empty component " + id);
    }
  }

  double meanMembership() {
    return membershipSum / area;
  }

  boolean touchesBorder(int width, int height) {
    return minX == 0 || minY == 0 || maxX == width - 1 || maxY == height - 1;
  }
}
