package org.openfoundry.rle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random masks checked against what their pixels say, one pixel at a time; a failing seed
 * names the mask to replay.
 */
class RleMaskPropertyTest {

  static IntStream seeds() {
    return IntStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void a_random_mask_survives_the_trip_through_its_compressed_string(int seed) {
    BinaryMask mask = randomMask(new Random(seed));

    RleMask runs = RleMask.of(mask);
    RleMask decoded = RleMask.fromCompressed(mask.height(), mask.width(), runs.compressed());

    assertThat(decoded).isEqualTo(runs);
    assertThat(decoded.toBinaryMask()).isEqualTo(mask);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void a_random_mask_has_the_runs_area_and_box_its_pixels_give(int seed) {
    BinaryMask mask = randomMask(new Random(seed));

    RleMask runs = RleMask.of(mask);

    assertThat(runs.counts()).containsExactly(pixelRuns(mask));
    assertThat(runs.area()).isEqualTo(pixelArea(mask)).isEqualTo(mask.area());
    assertThat(runs.boundingBox()).isEqualTo(pixelBox(mask));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void random_runs_with_empty_ones_among_them_draw_the_pixels_they_describe(int seed) {
    Random random = new Random(seed);
    int height = 1 + random.nextInt(90);
    int width = 1 + random.nextInt(90);
    int[] counts = randomRuns(random, height * width);

    RleMask runs = new RleMask(height, width, counts);
    BinaryMask mask = runs.toBinaryMask();

    int position = 0;
    for (int run = 0; run < counts.length; run++) {
      for (int pixel = position; pixel < position + counts[run]; pixel++) {
        assertThat(mask.get(pixel % height, pixel / height))
            .as("pixel %d in run %d", pixel, run)
            .isEqualTo(run % 2 == 1);
      }
      position += counts[run];
    }
    assertThat(runs.area()).isEqualTo(mask.area());
    assertThat(runs.boundingBox()).isEqualTo(pixelBox(mask));
    assertThat(RleMask.fromCompressed(height, width, runs.compressed())).isEqualTo(runs);
  }

  @Test
  void a_large_mask_with_runs_beyond_a_million_pixels_survives_the_trip() {
    BinaryMask mask = new BinaryMask(1600, 2000);
    fillEllipse(mask, 700, 750, 40, 90);
    mask.set(1599, 1999, true);

    RleMask runs = RleMask.of(mask);
    RleMask decoded = RleMask.fromCompressed(1600, 2000, runs.compressed());

    assertThat(runs.counts()[0]).isGreaterThan(1 << 20);
    assertThat(runs.counts()[runs.counts().length - 2]).isGreaterThan(1 << 20);
    assertThat(decoded).isEqualTo(runs);
    assertThat(decoded.toBinaryMask()).isEqualTo(mask);
    assertThat(decoded.boundingBox()).contains(new BoundingBox(661, 661, 1339, 939));
  }

  static BinaryMask randomMask(Random random) {
    int[] size = randomSize(random);
    BinaryMask mask = new BinaryMask(size[0], size[1]);
    if (mask.height() == 0 || mask.width() == 0) {
      return mask;
    }
    switch (random.nextInt(7)) {
      case 0 -> {}
      case 1 -> fillNoise(mask, random, 1.0);
      case 2 -> fillNoise(mask, random, random.nextDouble());
      case 3 -> fillBlobs(mask, random);
      case 4 -> {
        fillBlobs(mask, random);
        fillNoise(mask, random, 0.02);
      }
      case 5 -> mask.set(random.nextInt(mask.height()), random.nextInt(mask.width()), true);
      default -> fillStripes(mask, random);
    }
    return mask;
  }

  private static int[] randomSize(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> new int[] {1, 1};
      case 1 -> new int[] {1, 1 + random.nextInt(200)};
      case 2 -> new int[] {1 + random.nextInt(200), 1};
      case 3 -> new int[] {64 * (1 + random.nextInt(3)), 1 + random.nextInt(5)};
      case 4 -> new int[] {random.nextInt(3), random.nextInt(3)};
      default -> new int[] {1 + random.nextInt(120), 1 + random.nextInt(120)};
    };
  }

  private static void fillNoise(BinaryMask mask, Random random, double density) {
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        if (random.nextDouble() < density) {
          mask.set(row, column, true);
        }
      }
    }
  }

  private static void fillBlobs(BinaryMask mask, Random random) {
    int blobs = 1 + random.nextInt(5);
    for (int blob = 0; blob < blobs; blob++) {
      fillEllipse(
          mask,
          random.nextInt(mask.height()),
          random.nextInt(mask.width()),
          1 + random.nextInt(1 + mask.height() / 2),
          1 + random.nextInt(1 + mask.width() / 2));
    }
  }

  private static void fillEllipse(
      BinaryMask mask, int centreRow, int centreColumn, int radiusRows, int radiusColumns) {
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        double down = (row - centreRow) / (double) radiusRows;
        double across = (column - centreColumn) / (double) radiusColumns;
        if (down * down + across * across < 1) {
          mask.set(row, column, true);
        }
      }
    }
  }

  private static void fillStripes(BinaryMask mask, Random random) {
    int period = 1 + random.nextInt(6);
    boolean alongRows = random.nextBoolean();
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        mask.set(row, column, (alongRows ? row : column) % (period + 1) == 0);
      }
    }
  }

  private static int[] randomRuns(Random random, int pixels) {
    List<Integer> runs = new ArrayList<>();
    int left = pixels;
    while (left > 0) {
      int run = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(Math.min(left, 1 + pixels / 8));
      runs.add(Math.min(run, left));
      left -= Math.min(run, left);
    }
    return runs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The runs the slow way: each pixel in column-major order. */
  private static int[] pixelRuns(BinaryMask mask) {
    List<Integer> runs = new ArrayList<>();
    boolean value = false;
    int run = 0;
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        if (mask.get(row, column) != value) {
          runs.add(run);
          run = 0;
          value = !value;
        }
        run++;
      }
    }
    runs.add(run);
    return runs.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long pixelArea(BinaryMask mask) {
    long area = 0;
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        area += mask.get(row, column) ? 1 : 0;
      }
    }
    return area;
  }

  private static Optional<BoundingBox> pixelBox(BinaryMask mask) {
    int top = Integer.MAX_VALUE;
    int bottom = -1;
    int left = Integer.MAX_VALUE;
    int right = -1;
    for (int column = 0; column < mask.width(); column++) {
      for (int row = 0; row < mask.height(); row++) {
        if (mask.get(row, column)) {
          top = Math.min(top, row);
          bottom = Math.max(bottom, row);
          left = Math.min(left, column);
          right = Math.max(right, column);
        }
      }
    }
    if (right < 0) {
      return Optional.empty();
    }
    return Optional.of(new BoundingBox(left, top, right - left + 1, bottom - top + 1));
  }
}
