package org.openfoundry.rle;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Optional;
import java.util.StringJoiner;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * A mask as COCO uncompressed run lengths: column-major, the first run counts zeros, the runs then
 * alternate and sum to height × width. Zero-length runs are allowed anywhere, as the COCO tools
 * allow them; masks built from pixels have them only first.
 */
public record RleMask(int height, int width, int[] counts) {
  /**
   * The most runs a mask may have: those of a 2048 × 2048 checkerboard, 16 MiB of run lengths. A
   * longer list comes from a broken or hostile encoder, and would cost memory out of all proportion
   * to the text it was read from.
   */
  public static final int MAX_RUNS = 1 << 22;

  private static final int RUNS_SHOWN = 32;

  /**
   * Checks and copies the runs.
   *
   * @throws FoundryException with {@link ErrorCode#INVALID_RLE} for a negative size or run, or runs
   *     that do not sum to height × width; {@link ErrorCode#PAYLOAD_TOO_LARGE} for more than {@link
   *     #MAX_RUNS} runs
   */
  public RleMask {
    requireNonNull(counts, "counts is null");
    if (counts.length > MAX_RUNS) {
      throw CocoRle.tooManyRuns(Integer.toString(counts.length));
    }
    if (height < 0 || width < 0) {
      throw new FoundryException(
          ErrorCode.INVALID_RLE,
          "mask size must not be negative, got height " + height + " and width " + width);
    }
    counts = counts.clone();
    long sum = 0;
    for (int run = 0; run < counts.length; run++) {
      if (counts[run] < 0) {
        throw new FoundryException(
            ErrorCode.INVALID_RLE,
            "mask run " + run + " is " + counts[run] + ", a negative run length");
      }
      sum += counts[run];
    }
    long pixels = (long) height * width;
    if (sum != pixels) {
      throw new FoundryException(
          ErrorCode.INVALID_RLE,
          "mask runs sum to "
              + sum
              + " pixels, expected height x width = "
              + height
              + " x "
              + width
              + " = "
              + pixels);
    }
  }

  /**
   * The mask of a COCO compressed counts string.
   *
   * @throws FoundryException with {@link ErrorCode#INVALID_RLE} for a malformed string or runs that
   *     do not cover height × width
   */
  public static RleMask fromCompressed(int height, int width, String counts) {
    return new RleMask(height, width, CocoRle.decode(counts));
  }

  /** The run lengths of a mask's pixels, exactly as the COCO tools encode them. */
  public static RleMask of(BinaryMask mask) {
    requireNonNull(mask, "mask is null");
    return new RleMask(mask.height(), mask.width(), mask.runs());
  }

  /** A copy of the run lengths. */
  @Override
  public int[] counts() {
    return counts.clone();
  }

  /** The COCO compressed counts string of these runs. */
  public String compressed() {
    return CocoRle.encode(counts);
  }

  /** The number of pixels set. */
  public long area() {
    long area = 0;
    for (int run = 1; run < counts.length; run += 2) {
      area += counts[run];
    }
    return area;
  }

  /** The box around the pixels set, as COCO computes it; empty when no pixel is set. */
  public Optional<BoundingBox> boundingBox() {
    int firstColumn = Integer.MAX_VALUE;
    int lastColumn = -1;
    int firstRow = Integer.MAX_VALUE;
    int lastRow = -1;
    long position = 0;
    for (int run = 0; run < counts.length; run++) {
      if (run % 2 == 1 && counts[run] > 0) {
        long first = position;
        long last = position + counts[run] - 1;
        int startColumn = (int) (first / height);
        int endColumn = (int) (last / height);
        firstColumn = Math.min(firstColumn, startColumn);
        lastColumn = Math.max(lastColumn, endColumn);
        // A run that wraps into the next column covers the last row of one and the first of the
        // next.
        firstRow = Math.min(firstRow, startColumn == endColumn ? (int) (first % height) : 0);
        lastRow = Math.max(lastRow, startColumn == endColumn ? (int) (last % height) : height - 1);
      }
      position += counts[run];
    }
    if (lastColumn < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new BoundingBox(
            firstColumn, firstRow, lastColumn - firstColumn + 1, lastRow - firstRow + 1));
  }

  /**
   * The pixels of this mask.
   *
   * @throws FoundryException with {@link ErrorCode#PAYLOAD_TOO_LARGE} when the mask has more than
   *     {@link BinaryMask#MAX_PIXELS} pixels
   */
  public BinaryMask toBinaryMask() {
    if ((long) height * width > BinaryMask.MAX_PIXELS) {
      throw new FoundryException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "a "
              + height
              + " x "
              + width
              + " mask has more than "
              + BinaryMask.MAX_PIXELS
              + " pixels, too many to draw");
    }
    BinaryMask mask = new BinaryMask(height, width);
    int position = 0;
    for (int run = 0; run < counts.length; run++) {
      if (run % 2 == 1) {
        mask.fill(position, position + counts[run]);
      }
      position += counts[run];
    }
    return mask;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RleMask that
        && height == that.height
        && width == that.width
        && Arrays.equals(counts, that.counts);
  }

  @Override
  public int hashCode() {
    return (31 * height + width) * 31 + Arrays.hashCode(counts);
  }

  /** The size and the runs, only the first few of them for long masks. */
  @Override
  public String toString() {
    StringJoiner runs = new StringJoiner(", ", "[", "]");
    for (int run = 0; run < Math.min(counts.length, RUNS_SHOWN); run++) {
      runs.add(Integer.toString(counts[run]));
    }
    if (counts.length > RUNS_SHOWN) {
      runs.add("... " + (counts.length - RUNS_SHOWN) + " more");
    }
    return "RleMask[height=" + height + ", width=" + width + ", counts=" + runs + "]";
  }
}
