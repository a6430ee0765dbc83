package org.openfoundry.rle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * A height × width mask of bits, stored column-major like COCO runs so that a run of pixels is a
 * run of bits and decoding or encoding works a 64-bit word at a time.
 */
public final class BinaryMask {
  /** The most pixels a mask holds: bit positions are {@code int}s. */
  public static final long MAX_PIXELS = Integer.MAX_VALUE;

  private final int height;
  private final int width;
  private final int pixels;
  // Bit p holds the pixel at row p % height, column p / height; bits past the last pixel stay 0.
  private final long[] words;

  /** An empty (all zero) mask. */
  public BinaryMask(int height, int width) {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "mask size must not be negative, got height " + height + " and width " + width);
    }
    if ((long) height * width > MAX_PIXELS) {
      throw new IllegalArgumentException(
          "a " + height + " x " + width + " mask has more than " + MAX_PIXELS + " pixels");
    }
    this.height = height;
    this.width = width;
    this.pixels = height * width;
    this.words = new long[(int) (((long) pixels + Long.SIZE - 1) / Long.SIZE)];
  }

  /**
   * A mask from rows of {@code '0'} and {@code '1'}, top row first, e.g. {@code ["0110", "0100"]}.
   *
   * @throws FoundryException with {@link ErrorCode#INVALID_INPUT} for rows of unequal length or
   *     other characters
   */
  public static BinaryMask fromRows(List<String> rows) {
    requireNonNull(rows, "rows is null");
    int width = rows.isEmpty() ? 0 : rows.getFirst().length();
    BinaryMask mask = new BinaryMask(rows.size(), width);
    for (int row = 0; row < rows.size(); row++) {
      String line = requireNonNull(rows.get(row), "row is null");
      if (line.length() != width) {
        throw new FoundryException(
            ErrorCode.INVALID_INPUT,
            "mask row " + row + " has " + line.length() + " columns, expected " + width);
      }
      for (int column = 0; column < width; column++) {
        char pixel = line.charAt(column);
        if (pixel != '0' && pixel != '1') {
          throw new FoundryException(
              ErrorCode.INVALID_INPUT,
              "mask row "
                  + row
                  + ", column "
                  + column
                  + ": expected '0' or '1', got '"
                  + pixel
                  + "'");
        }
        mask.set(row, column, pixel == '1');
      }
    }
    return mask;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public boolean get(int row, int column) {
    int position = position(row, column);
    return (words[position >>> 6] & (1L << position)) != 0;
  }

  public void set(int row, int column, boolean value) {
    int position = position(row, column);
    if (value) {
      words[position >>> 6] |= 1L << position;
    } else {
      words[position >>> 6] &= ~(1L << position);
    }
  }

  /** The number of pixels set. */
  public long area() {
    long area = 0;
    for (long word : words) {
      area += Long.bitCount(word);
    }
    return area;
  }

  /** The rows as strings of {@code '0'} and {@code '1'}, top row first: the inverse of fromRows. */
  public List<String> toRows() {
    List<String> rows = new ArrayList<>(height);
    for (int row = 0; row < height; row++) {
      StringBuilder line = new StringBuilder(width);
      for (int column = 0; column < width; column++) {
        line.append(get(row, column) ? '1' : '0');
      }
      rows.add(line.toString());
    }
    return List.copyOf(rows);
  }

  /**
   * Sets the pixels at column-major positions {@code from} (inclusive) to {@code to} (exclusive).
   */
  void fill(int from, int to) {
    if (from >= to) {
      return;
    }
    int first = from >>> 6;
    int last = (to - 1) >>> 6;
    long firstMask = -1L << from;
    long lastMask = -1L >>> -to;
    if (first == last) {
      words[first] |= firstMask & lastMask;
      return;
    }
    words[first] |= firstMask;
    Arrays.fill(words, first + 1, last, -1L);
    words[last] |= lastMask;
  }

  /**
   * The column-major run lengths of this mask, zeros first, as the COCO tools encode them: only the
   * first run may be empty, and a mask without pixels is the single run {@code [0]}.
   */
  int[] runs() {
    if (pixels == 0) {
      return new int[] {0};
    }
    int[] runs = new int[16];
    int count = 0;
    int position = 0;
    boolean ones = false;
    while (position < pixels) {
      int next = ones ? nextClear(position) : nextSet(position);
      if (count == runs.length) {
        runs = Arrays.copyOf(runs, count * 2);
      }
      runs[count++] = next - position;
      position = next;
      ones = !ones;
    }
    return Arrays.copyOf(runs, count);
  }

  private int nextSet(int from) {
    int index = from >>> 6;
    long word = words[index] & (-1L << from);
    while (word == 0) {
      if (++index == words.length) {
        return pixels;
      }
      word = words[index];
    }
    return Math.min(pixels, index * Long.SIZE + Long.numberOfTrailingZeros(word));
  }

  private int nextClear(int from) {
    int index = from >>> 6;
    long word = ~words[index] & (-1L << from);
    while (word == 0) {
      if (++index == words.length) {
        return pixels;
      }
      word = ~words[index];
    }
    // The unused bits past the last pixel read as clear here, hence the bound.
    return Math.min(pixels, index * Long.SIZE + Long.numberOfTrailingZeros(word));
  }

  private int position(int row, int column) {
    if (row < 0 || row >= height || column < 0 || column >= width) {
      throw new IndexOutOfBoundsException(
          "pixel (row "
              + row
              + ", column "
              + column
              + ") is outside the "
              + height
              + " x "
              + width
              + " mask");
    }
    return column * height + row;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BinaryMask that
        && height == that.height
        && width == that.width
        && Arrays.equals(words, that.words);
  }

  @Override
  public int hashCode() {
    return (31 * height + width) * 31 + Arrays.hashCode(words);
  }

  @Override
  public String toString() {
    return "BinaryMask[height=" + height + ", width=" + width + ", area=" + area() + "]";
  }
}
