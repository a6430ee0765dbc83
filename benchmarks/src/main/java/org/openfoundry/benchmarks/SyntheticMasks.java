package org.openfoundry.benchmarks;

import java.util.Random;
import org.openfoundry.rle.BinaryMask;

/**
 * Seeded masks shaped like a segmentation model's output: a few filled, rotated ellipses of
 * different sizes, some overlapping, and scattered single-pixel noise.
 */
final class SyntheticMasks {
  private SyntheticMasks() {}

  /** A mask with {@code blobs} ellipses and each other pixel flipped with probability noise. */
  static BinaryMask blobsWithNoise(long seed, int height, int width, int blobs, double noise) {
    Random random = new Random(seed);
    BinaryMask mask = new BinaryMask(height, width);
    int shorterSide = Math.min(height, width);
    for (int blob = 0; blob < blobs; blob++) {
      fillEllipse(
          mask,
          random.nextDouble() * height,
          random.nextDouble() * width,
          shorterSide * (0.04 + 0.2 * random.nextDouble()),
          shorterSide * (0.04 + 0.2 * random.nextDouble()),
          random.nextDouble() * Math.PI);
    }
    if (noise > 0) {
      for (int column = 0; column < width; column++) {
        for (int row = 0; row < height; row++) {
          if (random.nextDouble() < noise) {
            mask.set(row, column, !mask.get(row, column));
          }
        }
      }
    }
    return mask;
  }

  private static void fillEllipse(
      BinaryMask mask,
      double centreRow,
      double centreColumn,
      double radiusAlong,
      double radiusAcross,
      double angle) {
    double cosine = Math.cos(angle);
    double sine = Math.sin(angle);
    double reach = Math.max(radiusAlong, radiusAcross);
    int firstRow = Math.max(0, (int) Math.floor(centreRow - reach));
    int lastRow = Math.min(mask.height() - 1, (int) Math.ceil(centreRow + reach));
    int firstColumn = Math.max(0, (int) Math.floor(centreColumn - reach));
    int lastColumn = Math.min(mask.width() - 1, (int) Math.ceil(centreColumn + reach));
    for (int column = firstColumn; column <= lastColumn; column++) {
      for (int row = firstRow; row <= lastRow; row++) {
        double down = row - centreRow;
        double across = column - centreColumn;
        double along = (across * cosine + down * sine) / radiusAlong;
        double side = (down * cosine - across * sine) / radiusAcross;
        if (along * along + side * side <= 1) {
          mask.set(row, column, true);
        }
      }
    }
  }
}
