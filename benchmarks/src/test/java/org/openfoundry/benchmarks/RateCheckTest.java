package org.openfoundry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateCheckTest {
  private static long[] millis(long... times) {
    long[] nanos = new long[times.length];
    for (int index = 0; index < times.length; index++) {
      nanos[index] = times[index] * 1_000_000L;
    }
    return nanos;
  }

  @Test
  void reads_an_evenly_spaced_run_as_the_rate_with_one_request_above_the_allowance_at_most() {
    long[] arrivals = new long[101];
    for (int index = 0; index < arrivals.length; index++) {
      arrivals[index] = index * 10_000_000L;
    }

    RateCheck check = RateCheck.of(arrivals, 100);

    assertThat(check.achieved()).isCloseTo(100, within(1e-9));
    assertThat(check.deviation()).isCloseTo(0, within(1e-9));
    assertThat(check.windows()).extracting(RateCheck.Window::seconds).containsExactly(0.01, 1.0);
    assertThat(check.worstExcess()).isCloseTo(0, within(1e-9));
  }

  @Test
  void finds_the_busiest_window_of_a_burst() {
    RateCheck check = RateCheck.of(millis(0, 200, 400, 401, 402, 800, 1000, 1200), 5);

    assertThat(check.windows().getFirst().most()).isEqualTo(3);
    assertThat(check.windows().get(1).most()).isEqualTo(6);
    assertThat(check.worstExcess()).isCloseTo(2, within(1e-9));
  }
}
