package org.openfoundry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API load harness on a run small enough for the build: no timings judged, only answers. */
class ApiLoadHarnessTest {
  @TempDir Path folder;

  @Test
  void every_request_of_clients_reading_a_running_run_is_answered_without_an_error()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Map<String, Double> figures =
        new ApiLoadHarness(
                HarnessOptions.parse(
                    new String[] {
                      "api",
                      "--rows",
                      "1000",
                      "--clients",
                      "8",
                      "--concurrency",
                      "16",
                      "--latency-ms",
                      "2",
                      "--folder",
                      folder.toString()
                    }),
                new PrintStream(printed, true, StandardCharsets.UTF_8))
            .run();

    assertThat(figures.get("errors")).isZero();
    assertThat(figures.get("requests_answered"))
        .isPositive()
        .isEqualTo(figures.get("requests_sent"));
    assertThat(figures.get("run_requests")).isPositive();
    assertThat(figures.get("tasks_requests")).isPositive();
    assertThat(figures.get("run_rows_per_second")).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("rows through the API")
        .contains("rows succeeded");
  }

  @Test
  void takes_the_nearest_rank_percentile_in_milliseconds() {
    long[] sorted = {1_000_000, 2_000_000, 3_000_000, 4_000_000};

    assertThat(ApiLoadHarness.percentile(sorted, 0.50)).isEqualTo(2.0);
    assertThat(ApiLoadHarness.percentile(sorted, 0.99)).isEqualTo(4.0);
  }
}
