package org.openfoundry.rle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RleMaskTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> exampleMasks() throws IOException {
    JsonNode vectors = JSON.readTree(Files.readString(Path.of("../examples/rle-vectors.json")));
    List<Arguments> masks = new ArrayList<>();
    for (JsonNode vector : vectors.get("vectors")) {
      if (vector.has("mask_rows")) {
        masks.add(maskArguments(vector));
      }
    }
    assertThat(masks).isNotEmpty();
    return masks.stream();
  }

  static Stream<Arguments> referenceMasks() throws IOException {
    try (InputStream in = RleMaskTest.class.getResourceAsStream("reference-vectors.json")) {
      List<Arguments> masks = new ArrayList<>();
      for (JsonNode vector : JSON.readTree(in).get("masks")) {
        masks.add(maskArguments(vector));
      }
      assertThat(masks).isNotEmpty();
      return masks.stream();
    }
  }

  private static Arguments maskArguments(JsonNode vector) {
    List<String> rows = new ArrayList<>();
    vector.get("mask_rows").forEach(row -> rows.add(row.asString()));
    JsonNode size = vector.get("size");
    return Arguments.of(
        vector.get("string").asString(),
        size.get(0).asInt(),
        size.get(1).asInt(),
        rows,
        CocoRleTest.counts(vector.get("counts")),
        vector);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("exampleMasks")
  void encodes_the_example_mask_rows_to_their_counts_and_string(
      String string, int height, int width, List<String> rows, int[] counts, JsonNode vector) {
    RleMask mask = RleMask.of(BinaryMask.fromRows(rows));

    assertThat(mask).isEqualTo(new RleMask(height, width, counts));
    assertThat(mask.compressed()).isEqualTo(string);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("exampleMasks")
  void draws_the_example_string_as_its_mask_rows(
      String string, int height, int width, List<String> rows, int[] counts, JsonNode vector) {
    BinaryMask mask = RleMask.fromCompressed(height, width, string).toBinaryMask();

    assertThat(mask.toRows()).isEqualTo(rows);
    assertThat(mask).isEqualTo(BinaryMask.fromRows(rows));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("referenceMasks")
  void agrees_with_the_reference_on_runs_string_area_and_box(
      String string, int height, int width, List<String> rows, int[] counts, JsonNode vector) {
    RleMask mask = RleMask.of(BinaryMask.fromRows(rows));

    assertThat(mask.counts()).containsExactly(counts);
    assertThat(mask.compressed()).isEqualTo(string);
    assertThat(mask.area()).isEqualTo(vector.get("area").asLong());
    JsonNode box = vector.get("bbox");
    Optional<BoundingBox> expected =
        mask.area() == 0
            ? Optional.empty()
            : Optional.of(
                new BoundingBox(
                    box.get(0).asDouble(),
                    box.get(1).asDouble(),
                    box.get(2).asDouble(),
                    box.get(3).asDouble()));
    assertThat(mask.boundingBox()).isEqualTo(expected);
    assertThat(RleMask.fromCompressed(height, width, string).toBinaryMask().toRows())
        .isEqualTo(rows);
  }

  @Test
  void measures_the_area_as_the_sum_of_the_runs_of_ones() {
    assertThat(new RleMask(3, 5, new int[] {3, 2, 5, 2, 3}).area()).isEqualTo(4);
    assertThat(new RleMask(3, 5, new int[] {15}).area()).isZero();
    assertThat(new RleMask(3, 5, new int[] {0, 15}).area()).isEqualTo(15);
  }

  @Test
  void boxes_the_example_mask_from_its_first_to_its_last_column() {
    RleMask mask = RleMask.of(BinaryMask.fromRows(List.of("01000", "01010", "00010")));

    assertThat(mask.boundingBox()).contains(new BoundingBox(1, 0, 3, 3));
  }

  @Test
  void boxes_a_single_pixel_as_one_by_one() {
    RleMask mask = RleMask.of(BinaryMask.fromRows(List.of("0000", "0010", "0000")));

    assertThat(mask.boundingBox()).contains(new BoundingBox(2, 1, 1, 1));
  }

  @Test
  void boxes_a_run_that_wraps_into_the_next_column_over_every_row() {
    // Rows 2..3 of column 0 and row 0 of column 1: one run, yet rows 0 to 3 hold pixels.
    RleMask mask = new RleMask(4, 3, new int[] {2, 3, 7});

    assertThat(mask.toBinaryMask().toRows()).containsExactly("010", "000", "100", "100");
    assertThat(mask.boundingBox()).contains(new BoundingBox(0, 0, 2, 4));
  }

  @Test
  void boxes_a_full_mask_as_the_whole_image() {
    assertThat(new RleMask(1080, 1920, new int[] {0, 1920 * 1080}).boundingBox())
        .contains(new BoundingBox(0, 0, 1920, 1080));
  }

  @Test
  void has_no_box_without_pixels() {
    assertThat(new RleMask(3, 5, new int[] {15}).boundingBox()).isEmpty();
    assertThat(new RleMask(3, 5, new int[] {7, 0, 8}).boundingBox()).isEmpty();
    assertThat(new RleMask(0, 0, new int[0]).boundingBox()).isEmpty();
  }

  @Test
  void skips_empty_runs_inside_the_counts() {
    RleMask mask = new RleMask(2, 2, new int[] {1, 0, 1, 2});

    assertThat(mask.toBinaryMask().toRows()).containsExactly("01", "01");
    assertThat(mask.boundingBox()).contains(new BoundingBox(1, 0, 1, 2));
    assertThat(RleMask.of(mask.toBinaryMask()).counts()).containsExactly(2, 2);
  }

  @Test
  void encodes_a_mask_without_pixels_as_one_empty_run() {
    RleMask mask = RleMask.of(new BinaryMask(0, 7));

    assertThat(mask.counts()).containsExactly(0);
    assertThat(mask.compressed()).isEqualTo("0");
  }

  @Test
  void rejects_runs_that_do_not_cover_the_mask_giving_the_sum_and_the_size() {
    assertThatThrownBy(() -> new RleMask(3, 5, new int[] {3, 2, 5, 2, 2}))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_RLE))
        .hasMessage("mask runs sum to 14 pixels, expected height x width = 3 x 5 = 15");
    assertThatThrownBy(() -> RleMask.fromCompressed(480, 640, "3250N"))
        .isInstanceOf(FoundryException.class)
        .hasMessage("mask runs sum to 15 pixels, expected height x width = 480 x 640 = 307200");
  }

  @Test
  void rejects_a_negative_run() {
    assertThatThrownBy(() -> new RleMask(1, 2, new int[] {3, -1}))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_RLE))
        .hasMessage("mask run 1 is -1, a negative run length");
  }

  @Test
  void rejects_a_negative_size() {
    assertThatThrownBy(() -> new RleMask(-3, 5, new int[0]))
        .isInstanceOf(FoundryException.class)
        .hasMessage("mask size must not be negative, got height -3 and width 5");
  }

  @Test
  void rejects_a_malformed_compressed_string() {
    assertThatThrownBy(() -> RleMask.fromCompressed(3, 5, "32 50N"))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_RLE))
        .hasMessageContaining("character ' ' at index 2");
  }

  @Test
  void measures_masks_with_more_pixels_than_an_int_counts() {
    RleMask huge = new RleMask(100_000, 100_000, fivePixelsAfter(100_000L * 100_000 - 5));

    assertThat(huge.area()).isEqualTo(5);
    assertThat(huge.boundingBox()).contains(new BoundingBox(99_999, 99_995, 1, 5));
    assertThat(RleMask.fromCompressed(100_000, 100_000, huge.compressed())).isEqualTo(huge);
    assertThatThrownBy(huge::toBinaryMask)
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE))
        .hasMessageContaining("100000 x 100000 mask");
  }

  @Test
  void compares_and_prints_the_runs_by_content() {
    RleMask mask = new RleMask(3, 5, new int[] {3, 2, 5, 2, 3});
    RleMask same = RleMask.fromCompressed(3, 5, "3250N");

    assertThat(mask).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(mask).isNotEqualTo(new RleMask(5, 3, new int[] {3, 2, 5, 2, 3}));
    assertThat(mask).isNotEqualTo(new RleMask(3, 5, new int[] {3, 2, 5, 2, 2, 1}));
    assertThat(mask).hasToString("RleMask[height=3, width=5, counts=[3, 2, 5, 2, 3]]");
  }

  @Test
  void prints_only_the_first_runs_of_a_long_mask() {
    int[] counts = new int[40];
    Arrays.fill(counts, 1);

    assertThat(new RleMask(40, 1, counts).toString())
        .startsWith("RleMask[height=40, width=1, counts=[1, 1, 1")
        .endsWith(", 1, ... 8 more]]");
  }

  @Test
  void keeps_its_runs_safe_from_changes_to_the_arrays_it_was_given_or_gave() {
    int[] counts = {3, 2, 5, 2, 3};
    RleMask mask = new RleMask(3, 5, counts);

    counts[1] = 99;
    mask.counts()[1] = 99;

    assertThat(mask.counts()).containsExactly(3, 2, 5, 2, 3);
  }

  private static int[] fivePixelsAfter(long zeros) {
    List<Integer> runs = new ArrayList<>();
    long left = zeros;
    while (left > Integer.MAX_VALUE) {
      runs.add(Integer.MAX_VALUE);
      runs.add(0);
      left -= Integer.MAX_VALUE;
    }
    runs.add((int) left);
    runs.add(5);
    return runs.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void refuses_more_runs_than_a_mask_may_have_and_names_the_limit() {
    int[] counts = new int[RleMask.MAX_RUNS + 2];

    FoundryException thrown =
        catchThrowableOfType(FoundryException.class, () -> new RleMask(0, 0, counts));

    assertThat(thrown.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(thrown.getMessage()).startsWith("the mask has 4194306 runs, more than the limit of");
  }
}
