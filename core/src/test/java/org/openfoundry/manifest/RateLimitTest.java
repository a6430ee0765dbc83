package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  @Test
  void spaces_calls_by_the_inverse_of_the_rate() {
    assertThat(new RateLimit(0.1).interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(new RateLimit(4).interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(new RateLimit(3).interval()).isEqualTo(Duration.ofNanos(333_333_333));
  }

  @Test
  void describes_itself_for_people() {
    assertThat(new RateLimit(0.1).describe()).isEqualTo("0.1 requests/s, one every 10 s");
    assertThat(new RateLimit(1).describe()).isEqualTo("1 request/s, one every 1 s");
    assertThat(new RateLimit(3).describe()).isEqualTo("3 requests/s, one every 333.3 ms");
    assertThat(new RateLimit(0.4).describe()).isEqualTo("0.4 requests/s, one every 2.5 s");
  }

  @Test
  void refuses_a_rate_that_is_not_positive_and_finite() {
    for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, 2e6}) {
      assertThatThrownBy(() -> new RateLimit(rate)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
