package org.openfoundry.examples.shapes;

import java.util.BitSet;

/** A set of pixels of an image of known size, row-major, with its area and bounding box. */
final class PixelMask {
  private final int width;
  private final int height;
  private final BitSet bits;

  PixelMask(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.bits = new BitSet(width * height);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  boolean get(int x, int y) {
    return bits.get(y * width + x);
  }

  void set(int x, int y) {
    bits.set(y * width + x);
  }

  int area() {
    return bits.cardinality();
  }

  boolean isEmpty() {
    return bits.isEmpty();
  }

  void addAll(PixelMask other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException("masks differ in size");
    }
    bits.or(other.bits);
  }

  /** Pixels in both masks. */
  int intersection(PixelMask other) {
    BitSet both = (BitSet) bits.clone();
    both.and(other.bits);
    return both.cardinality();
  }

  /** Intersection over union, 1 for two empty masks. */
  double iou(PixelMask other) {
    BitSet either = (BitSet) bits.clone();
    either.or(other.bits);
    int union = either.cardinality();
    return union == 0 ? 1 : (double) intersection(other) / union;
  }

  /** {@code [minX, minY, maxX, maxY]}, inclusive; the mask must not be empty. */
  int[] bounds() {
    if (bits.isEmpty()) {
      throw new IllegalStateException("an empty mask has no bounds");
    }
    int minX = width;
    int minY = height;
    int maxX = -1;
    int maxY = -1;
    for (int index = bits.nextSetBit(0); index >= 0; index = bits.nextSetBit(index + 1)) {
      int x = index % width;
      int y = index / width;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    return new int[] {minX, minY, maxX, maxY};
  }

  /**
   * Adds every hole of at most {@code largestHole} pixels: a 4-connected run of pixels outside the
   * mask that the mask encloses, so that it cannot reach the edge of the mask's bounding box.
   */
  void fillHoles(int largestHole) {
    if (bits.isEmpty()) {
      return;
    }
    int[] box = bounds();
    int boxWidth = box[2] - box[0] + 1;
    int boxHeight = box[3] - box[1] + 1;
    boolean[] seen = new boolean[boxWidth * boxHeight];
    int[] queue = new int[boxWidth * boxHeight];
    for (int y = 0; y < boxHeight; y++) {
      for (int x = 0; x < boxWidth; x++) {
        int start = y * boxWidth + x;
        if (seen[start] || get(box[0] + x, box[1] + y)) {
          continue;
        }
        int length = flood(box, boxWidth, boxHeight, start, seen, queue);
        if (length <= largestHole && encloses(queue, length, boxWidth, boxHeight)) {
          for (int position = 0; position < length; position++) {
            set(box[0] + queue[position] % boxWidth, box[1] + queue[position] / boxWidth);
          }
        }
      }
    }
  }

  private int flood(
      int[] box, int boxWidth, int boxHeight, int start, boolean[] seen, int[] queue) {
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    seen[start] = true;
    while (head < tail) {
      int current = queue[head++];
      int x = current % boxWidth;
      int y = current / boxWidth;
      tail = visit(box, boxWidth, x > 0, current - 1, seen, queue, tail);
      tail = visit(box, boxWidth, x < boxWidth - 1, current + 1, seen, queue, tail);
      tail = visit(box, boxWidth, y > 0, current - boxWidth, seen, queue, tail);
      tail = visit(box, boxWidth, y < boxHeight - 1, current + boxWidth, seen, queue, tail);
    }
    return tail;
  }

  private int visit(
      int[] box, int boxWidth, boolean inside, int next, boolean[] seen, int[] queue, int tail) {
    if (!inside || seen[next] || get(box[0] + next % boxWidth, box[1] + next / boxWidth)) {
      return tail;
    }
    seen[next] = true;
    queue[tail] = next;
    return tail + 1;
  }

  private static boolean encloses(int[] run, int length, int boxWidth, int boxHeight) {
    for (int position = 0; position < length; position++) {
      int x = run[position] % boxWidth;
      int y = run[position] / boxWidth;
      if (x == 0 || y == 0 || x == boxWidth - 1 || y == boxHeight - 1) {
        return false;
      }
    }
    return true;
  }
}
