package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.TreeReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class QuantitiesTest {
  private final Problems problems = new Problems();
  private final TreeReader reader = new TreeReader(problems);

  @Test
  void reads_durations_with_units_or_as_seconds() {
    assertThat(duration("\"500ms\"")).contains(Duration.ofMillis(500));
    assertThat(duration("\"10s\"")).contains(Duration.ofSeconds(10));
    assertThat(duration("\"2m\"")).contains(Duration.ofMinutes(2));
    assertThat(duration("\"1.5h\"")).contains(Duration.ofMinutes(90));
    assertThat(duration("30")).contains(Duration.ofSeconds(30));
    assertThat(duration("0.25")).contains(Duration.ofMillis(250));
    assertThat(problems.all()).isEmpty();
  }

  @Test
  void refuses_durations_that_are_not_whole_positive_milliseconds_within_a_day() {
    assertThat(duration("\"0.5ms\"")).isEmpty();
    assertThat(duration("-1")).isEmpty();
    assertThat(duration("\"25h\"")).isEmpty();
    assertThat(problems.all())
        .extracting(Problem::message)
        .containsExactly(
            "expected a whole number of milliseconds, got \"0.5ms\"",
            "expected a positive duration, got -1",
            "expected a duration of at most 24h, got \"25h\"");
  }

  @Test
  void writes_the_shortest_exact_duration() {
    assertThat(Quantities.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Quantities.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Quantities.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Quantities.format(Duration.ofHours(2))).isEqualTo("2h");
  }

  @Test
  void reads_sizes_in_decimal_and_binary_units() {
    assertThat(bytes("\"32MiB\"")).hasValue(32L * 1024 * 1024);
    assertThat(bytes("\"500KB\"")).hasValue(500_000);
    assertThat(bytes("\"1 gib\"")).hasValue(1024L * 1024 * 1024);
    assertThat(bytes("4096")).hasValue(4096);
    assertThat(bytes("\"lots\"")).isEmpty();
    assertThat(problems.all())
        .extracting(Problem::message)
        .containsExactly("expected a size such as 32MiB, 500KB or a number of bytes, got \"lots\"");
  }

  private Optional<Duration> duration(String json) {
    return Quantities.duration(value(json), "timeouts.read", Duration.ofHours(24), reader);
  }

  private OptionalLong bytes(String json) {
    return Quantities.bytes(value(json), "max_response_bytes", 1024L * 1024 * 1024, reader);
  }

  private static JsonNode value(String json) {
    return JsonMapper.shared().readTree(json);
  }
}
