package org.openfoundry.rle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CocoRleTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> exampleVectors() throws IOException {
    JsonNode vectors = JSON.readTree(Files.readString(Path.of("../examples/rle-vectors.json")));
    return vectorsOf(vectors.get("vectors"));
  }

  static Stream<Arguments> referenceVectors() throws IOException {
    try (InputStream in = CocoRleTest.class.getResourceAsStream("reference-vectors.json")) {
      return vectorsOf(JSON.readTree(in).get("counts"));
    }
  }

  private static Stream<Arguments> vectorsOf(JsonNode vectors) {
    List<Arguments> arguments = new ArrayList<>();
    for (JsonNode vector : vectors) {
      arguments.add(Arguments.of(vector.get("string").asString(), counts(vector.get("counts"))));
    }
    assertThat(arguments).isNotEmpty();
    return arguments.stream();
  }

  static int[] counts(JsonNode counts) {
    return IntStream.range(0, counts.size()).map(index -> counts.get(index).asInt()).toArray();
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("exampleVectors")
  void decodes_every_example_string_to_its_counts(String string, int[] counts) {
    assertThat(CocoRle.decode(string)).containsExactly(counts);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("exampleVectors")
  void encodes_every_example_counts_to_its_string(String string, int[] counts) {
    assertThat(CocoRle.encode(counts)).isEqualTo(string);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("referenceVectors")
  void agrees_with_the_reference_implementation_both_ways(String string, int[] counts) {
    assertThat(CocoRle.encode(counts)).isEqualTo(string);
    assertThat(CocoRle.decode(string)).containsExactly(counts);
  }

  @Test
  void encodes_no_runs_as_the_empty_string_and_back() {
    assertThat(CocoRle.encode(new int[0])).isEmpty();
    assertThat(CocoRle.decode("")).isEmpty();
  }

  @Test
  void round_trips_runs_longer_than_a_million_pixels() {
    int[] counts = {
      0,
      Integer.MAX_VALUE,
      1 << 20,
      (1 << 20) + 1,
      Integer.MAX_VALUE,
      0,
      1,
      Integer.MAX_VALUE - 1,
      3_000_000,
      17
    };

    String string = CocoRle.encode(counts);

    assertThat(CocoRle.decode(string)).containsExactly(counts);
  }

  @Test
  void round_trips_seeded_random_runs_of_every_magnitude() {
    Random random = new Random(20_240_611L);
    for (int vector = 0; vector < 2_000; vector++) {
      int[] counts = new int[random.nextInt(40)];
      for (int run = 0; run < counts.length; run++) {
        int bits = 1 + random.nextInt(31);
        counts[run] = (int) (random.nextLong() >>> (64 - bits)) & Integer.MAX_VALUE;
      }

      String string = CocoRle.encode(counts);

      assertThat(string).as("vector %d", vector).matches("[0-o]*");
      assertThat(CocoRle.decode(string))
          .as("vector %d: %s", vector, string)
          .containsExactly(counts);
    }
  }

  @Test
  void accepts_a_value_padded_with_groups_that_add_nothing() {
    // 'V' is 6 with more to follow, 'P' an empty group with more to follow, '0' an empty last
    // group.
    assertThat(CocoRle.decode("0VP0")).containsExactly(0, 6);
  }

  static Stream<Arguments> malformedStrings() {
    String runOfLargestLength = CocoRle.encode(new int[] {0, Integer.MAX_VALUE, 0});
    return Stream.of(
        Arguments.of("06/", "character '/' at index 2 is outside '0'..'o'"),
        Arguments.of("06p", "character 'p' at index 2 is outside '0'..'o'"),
        Arguments.of(" 06", "character ' ' at index 0 is outside '0'..'o'"),
        Arguments.of("0\u00e96", "character U+00E9 at index 1 is outside '0'..'o'"),
        Arguments.of("06\n", "character U+000A at index 2"),
        Arguments.of(
            "06P",
            "the string ends at index 3 inside the value that starts at index 2: its last"
                + " character 'P' says more characters follow"),
        Arguments.of("0o", "the string ends at index 2 inside the value that starts at index 1"),
        Arguments.of("O", "run 0 (the value at index 0) is -1, a negative run length"),
        Arguments.of("061I", "run 3 (the value at index 3) is -1, a negative run length"),
        Arguments.of(
            "PPPPPP2",
            "run 0 (the value at index 0) is 2147483648, beyond the largest run length 2147483647"),
        Arguments.of(
            runOfLargestLength + "1",
            "run 3 (the value at index "
                + runOfLargestLength.length()
                + ") is 2147483648, beyond the largest run length"),
        Arguments.of(
            "0" + "P".repeat(12) + "0",
            "the value that starts at index 1 goes on for more than 12 characters"));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("malformedStrings")
  void rejects_a_malformed_string_saying_what_is_wrong_and_where(String string, String message) {
    FoundryException thrown =
        catchThrowableOfType(FoundryException.class, () -> CocoRle.decode(string));

    assertThat(thrown).isNotNull();
    assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_RLE);
    assertThat(thrown.getMessage())
        .startsWith("invalid COCO RLE counts string: ")
        .contains(message);
  }

  @Test
  void refuses_to_encode_a_negative_run() {
    assertThatThrownBy(() -> CocoRle.encode(new int[] {0, 6, -1}))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown -> assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_RLE))
        .hasMessageContaining("run 2 is -1, a negative run length");
  }

  @Test
  void decodes_a_string_of_as_many_runs_as_a_mask_may_have() {
    assertThat(CocoRle.decode("1".repeat(RleMask.MAX_RUNS))).hasSize(RleMask.MAX_RUNS);
  }

  @Test
  void refuses_a_string_of_more_runs_than_a_mask_may_have_and_names_the_limit() {
    FoundryException thrown =
        catchThrowableOfType(
            FoundryException.class, () -> CocoRle.decode("1".repeat(RleMask.MAX_RUNS + 1)));

    assertThat(thrown.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(thrown.getMessage())
        .isEqualTo(
            "the mask has more than 4194304 runs, more than the limit of 4194304 (the runs of a"
                + " 2048 x 2048 checkerboard)");
  }
}
