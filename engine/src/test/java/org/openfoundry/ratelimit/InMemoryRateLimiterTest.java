package org.openfoundry.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.MutableClock;
import org.openfoundry.models.ModelId;

class InMemoryRateLimiterTest {
  private static final ModelId MODEL = new ModelId("mdl_01HAAAAAAAAAAAAAAAAAAAAAAA");
  private static final ModelId OTHER = new ModelId("mdl_01HBBBBBBBBBBBBBBBBBBBBBBB");

  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

  @Test
  void spaces_starts_ten_seconds_apart_at_a_tenth_of_a_request_per_second() {
    assertThat(limiter.reserve(MODEL, 0.1, 5, Duration.ofSeconds(25)))
        .containsExactly(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20));
    assertThat(limiter.reserve(MODEL, 0.1, 1, Duration.ofSeconds(5))).isEmpty();

    clock.advance(Duration.ofSeconds(26));

    assertThat(limiter.reserve(MODEL, 0.1, 1, Duration.ofSeconds(5)))
        .containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void spaces_starts_two_hundred_milliseconds_apart_at_five_per_second() {
    List<Duration> slots = limiter.reserve(MODEL, 5, 10, Duration.ofSeconds(1));

    assertThat(slots)
        .containsExactly(
            Duration.ZERO,
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(600),
            Duration.ofMillis(800),
            Duration.ofMillis(1000));
  }

  @Test
  void admits_no_more_than_the_rate_in_any_window_when_stepped_through_time_at_100_per_second() {
    List<Duration> starts = new ArrayList<>();
    Duration elapsed = Duration.ZERO;
    for (int step = 0; step < 500; step++) {
      for (Duration delay : limiter.reserve(MODEL, 100, 7, Duration.ofMillis(50))) {
        starts.add(elapsed.plus(delay));
      }
      clock.advance(Duration.ofMillis(3));
      elapsed = elapsed.plus(Duration.ofMillis(3));
    }

    assertThat(starts).hasSizeGreaterThan(100).isSorted();
    for (int index = 1; index < starts.size(); index++) {
      assertThat(starts.get(index).minus(starts.get(index - 1))).isEqualTo(Duration.ofMillis(10));
    }
    // 1.5 s of stepping at 100 per second, plus what the horizon let it book ahead.
    assertThat(starts).hasSizeBetween(150, 156);
  }

  @Test
  void takes_back_the_unused_tail_of_the_latest_reservation() {
    limiter.reserve(MODEL, 5, 4, Duration.ofSeconds(1));

    limiter.release(MODEL, 3);

    assertThat(limiter.reserve(MODEL, 5, 2, Duration.ofSeconds(1)))
        .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void keeps_released_slots_spent_once_another_thread_reserved_after_them() throws Exception {
    limiter.reserve(MODEL, 5, 4, Duration.ofSeconds(1));
    // A chat call's slot, taken after the batch's: the batch's release must not give it back.
    assertThat(onAnotherThread(() -> limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(1))))
        .containsExactly(Duration.ofMillis(800));

    limiter.release(MODEL, 3);

    assertThat(limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(2)))
        .containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void gives_back_only_the_calling_threads_own_reservation() throws Exception {
    limiter.reserve(MODEL, 5, 4, Duration.ofSeconds(1));

    onAnotherThread(
        () -> {
          limiter.release(MODEL, 3);
          return null;
        });

    assertThat(limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(2)))
        .containsExactly(Duration.ofMillis(800));
  }

  private static <T> T onAnotherThread(Callable<T> work) throws Exception {
    FutureTask<T> task = new FutureTask<>(work);
    Thread.ofPlatform().start(task);
    return task.get(30, TimeUnit.SECONDS);
  }

  @Test
  void keeps_released_slots_spent_after_a_hold_that_fell_within_them() {
    limiter.reserve(MODEL, 10, 21, Duration.ofSeconds(3));
    // A 429's Retry-After of one second, inside the 2.1 s the reservation spans.
    limiter.holdFor(MODEL, Duration.ofSeconds(1));

    limiter.release(MODEL, 21);

    assertThat(limiter.reserve(MODEL, 10, 1, Duration.ofSeconds(5)))
        .containsExactly(Duration.ofMillis(2100));
  }

  @Test
  void keeps_released_slots_spent_once_a_hold_took_slots_after_them() {
    limiter.reserve(MODEL, 5, 3, Duration.ofSeconds(1));
    limiter.holdFor(MODEL, Duration.ofSeconds(2));

    limiter.release(MODEL, 2);

    assertThat(limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(5)))
        .containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void releases_a_reservation_once_and_never_more_slots_than_it_took() {
    limiter.reserve(MODEL, 5, 2, Duration.ofSeconds(1));

    limiter.release(MODEL, 5);
    limiter.release(MODEL, 1);

    assertThat(limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(1))).containsExactly(Duration.ZERO);
    assertThat(limiter.reserve(MODEL, 5, 1, Duration.ofSeconds(1)))
        .containsExactly(Duration.ofMillis(200));
  }

  @Test
  void an_idle_model_does_not_save_up_a_burst() {
    limiter.reserve(MODEL, 5, 1, Duration.ZERO);
    clock.advance(Duration.ofMinutes(10));

    assertThat(limiter.reserve(MODEL, 5, 3, Duration.ofMillis(400)))
        .containsExactly(Duration.ZERO, Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void a_hold_pushes_the_next_slot_back_for_that_model_only() {
    limiter.holdFor(MODEL, Duration.ofSeconds(30));

    assertThat(limiter.reserve(MODEL, 100, 1, Duration.ofSeconds(29))).isEmpty();
    assertThat(limiter.reserve(MODEL, 100, 2, Duration.ofSeconds(31)))
        .containsExactly(Duration.ofSeconds(30), Duration.ofMillis(30_010));
    assertThat(limiter.reserve(OTHER, 100, 1, Duration.ZERO)).containsExactly(Duration.ZERO);
  }

  @Test
  void a_hold_never_brings_reserved_slots_forward() {
    limiter.reserve(MODEL, 0.1, 3, Duration.ofSeconds(20));

    limiter.holdFor(MODEL, Duration.ofSeconds(1));

    assertThat(limiter.reserve(MODEL, 0.1, 1, Duration.ofSeconds(30)))
        .containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void rejects_a_rate_that_is_not_a_positive_number() {
    for (double rate : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> limiter.reserve(MODEL, rate, 1, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("requestsPerSecond must be a positive number");
    }
  }

  @Test
  void turns_any_positive_rate_into_its_emission_interval() {
    assertThat(InMemoryRateLimiter.emissionInterval(0.1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(InMemoryRateLimiter.emissionInterval(3)).isEqualTo(Duration.ofNanos(333_333_333));
    assertThat(InMemoryRateLimiter.emissionInterval(2.5)).isEqualTo(Duration.ofMillis(400));
  }
}
