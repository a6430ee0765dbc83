package org.openfoundry.rle;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/**
 * Coverage-guided fuzzing of the COCO RLE decoder: any string either decodes to runs that survive
 * the trip back through the encoder and through pixels, or fails with an RLE error. Seeds are in
 * {@code RleFuzzTestInputs}; with {@code JAZZER_FUZZ=1} one target is fuzzed, else every seed is
 * replayed.
 */
class RleFuzzTest {
  private static final long LARGEST_MASK_DRAWN = 1 << 16;

  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_counts_string_decodes_to_runs_that_encode_back_or_fails_as_invalid_rle(byte[] input) {
    String compressed = new String(input, StandardCharsets.ISO_8859_1);
    int[] counts;
    try {
      counts = CocoRle.decode(compressed);
    } catch (FoundryException invalid) {
      assertThat(invalid.code()).isIn(ErrorCode.INVALID_RLE, ErrorCode.PAYLOAD_TOO_LARGE);
      return;
    }
    assertThat(Arrays.stream(counts).min().orElse(0)).isNotNegative();
    assertThat(CocoRle.decode(CocoRle.encode(counts))).containsExactly(counts);
  }

  /**
   * The input is {@code "<height> <width> <counts>"}, so that seeds stay readable: a mask either
   * fails with a typed error or has an area, a box and pixels that agree with one another.
   */
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  @FuzzTest(maxDuration = "30s")
  void any_sized_mask_is_consistent_with_its_pixels_or_fails_as_invalid_rle(byte[] input) {
    String[] fields = new String(input, StandardCharsets.ISO_8859_1).split(" ", 3);
    if (fields.length < 3) {
      return;
    }
    Optional<Integer> height = number(fields[0]);
    Optional<Integer> width = number(fields[1]);
    if (height.isEmpty() || width.isEmpty()) {
      return;
    }
    RleMask mask;
    try {
      mask = RleMask.fromCompressed(height.get(), width.get(), fields[2]);
    } catch (FoundryException invalid) {
      assertThat(invalid.code()).isIn(ErrorCode.INVALID_RLE, ErrorCode.PAYLOAD_TOO_LARGE);
      return;
    }
    long pixels = (long) mask.height() * mask.width();
    assertThat(mask.area()).isBetween(0L, pixels);
    assertThat(RleMask.fromCompressed(mask.height(), mask.width(), mask.compressed()))
        .isEqualTo(mask);
    mask.boundingBox()
        .ifPresent(
            box -> {
              assertThat(box.left() + box.width()).isLessThanOrEqualTo(mask.width());
              assertThat(box.top() + box.height()).isLessThanOrEqualTo(mask.height());
            });
    if (pixels > LARGEST_MASK_DRAWN) {
      return;
    }
    BinaryMask drawn = mask.toBinaryMask();
    RleMask redrawn = RleMask.of(drawn);
    assertThat(drawn.area()).isEqualTo(mask.area());
    assertThat(redrawn.toBinaryMask()).isEqualTo(drawn);
    assertThat(redrawn.boundingBox()).isEqualTo(mask.boundingBox());
  }

  private static Optional<Integer> number(String text) {
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }
}
