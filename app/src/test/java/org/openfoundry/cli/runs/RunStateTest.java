package org.openfoundry.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunStateTest {
  @Test
  void the_exit_status_of_a_watch_tells_the_final_states_apart() {
    assertThat(RunState.SUCCEEDED.exitCode()).isZero();
    assertThat(RunState.PARTIALLY_SUCCEEDED.exitCode()).isEqualTo(3);
    assertThat(RunState.FAILED.exitCode()).isEqualTo(4);
    assertThat(RunState.CANCELLED.exitCode()).isEqualTo(5);
  }

  @Test
  void a_state_from_a_newer_server_is_taken_as_still_running() {
    assertThat(RunState.parse("DRAINING")).isEqualTo(RunState.RUNNING);
    assertThat(RunState.parse("DRAINING").isFinished()).isFalse();
    assertThat(RunState.parse("partially_succeeded")).isEqualTo(RunState.PARTIALLY_SUCCEEDED);
  }
}
