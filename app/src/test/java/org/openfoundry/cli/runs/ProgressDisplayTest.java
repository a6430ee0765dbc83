package org.openfoundry.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  private final StringWriter written = new StringWriter();
  private final MutableClock clock = new MutableClock();

  private static Progress progress(RunState state, long succeeded, long failed, long total) {
    long leased = state.isFinished() ? 0 : Math.min(2, total - succeeded - failed);
    long queued = total - succeeded - failed - leased;
    return new Progress(
        "run_1",
        state,
        new Progress.Counts(queued, leased, succeeded, failed, 0, total),
        Math.round(1000.0 * (succeeded + failed) / total) / 10.0,
        3.94,
        state.isFinished() ? OptionalLong.empty() : OptionalLong.of(125));
  }

  private ProgressDisplay display(boolean terminal) {
    ProgressDisplay display =
        new ProgressDisplay(new PrintWriter(written, true), terminal, clock, Duration.ofSeconds(5));
    display.track("run_1", "detector");
    return display;
  }

  @Test
  void a_terminal_line_has_a_bar_the_percentage_the_counts_the_rate_and_the_eta() {
    assertThat(ProgressDisplay.bar("detector", progress(RunState.RUNNING, 11, 1, 24)))
        .isEqualTo(
            "detector [============>           ]  50.0%  RUNNING   12/24  ok 11, failed 1,"
                + " queued 10, running 2  3.9/s  ETA 2m05s");
  }

  @Test
  void a_finished_run_has_a_full_bar_and_no_eta() {
    assertThat(ProgressDisplay.bar("detector", progress(RunState.PARTIALLY_SUCCEEDED, 23, 1, 24)))
        .isEqualTo(
            "detector [========================] 100.0%  PARTIAL   24/24  ok 23, failed 1,"
                + " queued 0, running 0");
  }

  @Test
  void a_terminal_redraws_its_lines_in_place() {
    ProgressDisplay display = display(true);

    display.update(progress(RunState.RUNNING, 1, 0, 4));
    display.update(progress(RunState.RUNNING, 2, 0, 4));

    String text = written.toString();
    assertThat(text).startsWith("\r\u001b[2Kdetector [");
    assertThat(text).contains("\u001b[1A\r\u001b[2Kdetector [============>");
  }

  @Test
  void a_log_gets_a_line_when_the_state_changes_and_at_most_one_per_interval_otherwise() {
    ProgressDisplay display = display(false);

    display.update(progress(RunState.QUEUED, 0, 0, 4));
    display.update(progress(RunState.RUNNING, 1, 0, 4));
    display.update(progress(RunState.RUNNING, 2, 0, 4));
    clock.advance(Duration.ofSeconds(4));
    display.tick();
    clock.advance(Duration.ofSeconds(1));
    display.tick();
    display.tick();
    display.update(progress(RunState.SUCCEEDED, 4, 0, 4));

    assertThat(written.toString().lines())
        .containsExactly(
            "detector: QUEUED 0.0% (0/4 done: 0 succeeded, 0 failed, 0 cancelled; 2 queued, 2"
                + " running) 3.9/s  ETA 2m05s",
            "detector: RUNNING 25.0% (1/4 done: 1 succeeded, 0 failed, 0 cancelled; 1 queued, 2"
                + " running) 3.9/s  ETA 2m05s",
            "detector: RUNNING 50.0% (2/4 done: 2 succeeded, 0 failed, 0 cancelled; 0 queued, 2"
                + " running) 3.9/s  ETA 2m05s",
            "detector: SUCCEEDED 100.0% (4/4 done: 4 succeeded, 0 failed, 0 cancelled; 0 queued,"
                + " 0 running)");
  }

  @Test
  void a_log_never_repeats_a_line_it_just_printed() {
    ProgressDisplay display = display(false);

    display.update(progress(RunState.RUNNING, 1, 0, 4));
    clock.advance(Duration.ofSeconds(10));
    display.update(progress(RunState.RUNNING, 1, 0, 4));
    display.tick();

    assertThat(written.toString().lines()).hasSize(1);
  }
}
