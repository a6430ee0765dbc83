package org.openfoundry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness itself, on runs small enough for the build: seconds, not minutes. */
class EngineLoadHarnessTest {
  @TempDir Path folder;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

  private Map<String, Double> run(String... args) throws Exception {
    String[] withFolder = new String[args.length + 2];
    System.arraycopy(args, 0, withFolder, 0, args.length);
    withFolder[args.length] = "--folder";
    withFolder[args.length + 1] = folder.toString();
    return new EngineLoadHarness(
            HarnessOptions.parse(withFolder),
            new PrintStream(printed, true, StandardCharsets.UTF_8))
        .run();
  }

  @Test
  void measures_the_engine_next_to_the_raw_client_on_a_small_run() throws Exception {
    Map<String, Double> figures =
        run("overhead", "--tasks", "300", "--concurrency", "8", "--raw-seconds", "1");

    assertThat(figures.get("raw_per_second")).isPositive();
    assertThat(figures.get("engine_per_second")).isPositive();
    assertThat(figures.get("share_of_raw"))
        .isEqualTo(figures.get("engine_per_second") / figures.get("raw_per_second"));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("machine: ")
        .contains("300 tasks succeeded");
  }

  @Test
  void warms_the_engine_up_first_when_asked_and_compares_with_the_warm_client() throws Exception {
    Map<String, Double> figures =
        run(
            "overhead",
            "--tasks",
            "200",
            "--warm-up",
            "100",
            "--concurrency",
            "8",
            "--raw-seconds",
            "1");

    assertThat(figures.get("share_of_warm_raw"))
        .isEqualTo(figures.get("engine_per_second") / figures.get("raw_after_per_second"));
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("after 100 to warm the engine up")
        .contains("200 tasks succeeded");
  }

  @Test
  void reads_the_rate_a_small_rate_limited_run_achieved_at_the_endpoint() throws Exception {
    Map<String, Double> figures = run("rate", "--rates", "40", "--seconds", "1");

    // 40 requests 25 ms apart: the first and the last are 975 ms apart.
    assertThat(figures.get("rate_40_0_achieved")).isBetween(30.0, 45.0);
    assertThat(figures).containsKeys("rate_40_0_deviation", "rate_40_0_worst_excess");
  }

  @Test
  void measures_the_store_alone_claiming_and_completing_every_task() throws Exception {
    Map<String, Double> figures = run("store", "--tasks", "500", "--claim-batch", "16");

    assertThat(figures.get("tasks_per_second")).isPositive();
    assertThat(figures.get("cpu_us_per_task")).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("store: 500 tasks, claims of 16, one thread")
        .contains("400 tasks claimed and completed");
  }

  @Test
  void refuses_an_unknown_scenario_or_option_by_name() {
    assertThatThrownBy(() -> run("speed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown scenario speed");
    assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"overhead", "--task", "5"}))
        .hasMessage("unknown option --task");
    assertThatThrownBy(() -> run("overhead", "--tasks", "many"))
        .hasMessage("--tasks: expected a whole number >= 1, got many");
  }
}
