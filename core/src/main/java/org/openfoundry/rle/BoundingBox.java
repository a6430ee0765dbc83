package org.openfoundry.rle;

/**
 * The pixel box of a mask, as COCO computes it: {@code left} is the first column holding a pixel,
 * {@code width} is the last such column minus the first plus one, and likewise for rows.
 */
public record BoundingBox(double left, double top, double width, double height) {

  public BoundingBox {
    requireFinite("left", left);
    requireFinite("top", top);
    requireFinite("width", width);
    requireFinite("height", height);
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException(
          "box width and height must not be negative, got " + width + " x " + height);
    }
  }

  private static void requireFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("box " + name + " must be a finite number, got " + value);
    }
  }
}
