package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openfoundry.models.ModelId;

class StartPacerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofMillis(10);

  private final StartPacer pacer = new StartPacer();

  @Test
  void lets_calls_that_wake_at_their_slots_start_at_once() throws InterruptedException {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket second = pacer.next(Runs.MODEL, INTERVAL);

    assertThat(hold(first, T0)).isZero();
    first.started(T0);
    assertThat(hold(second, T0.plus(INTERVAL))).isZero();
  }

  @Test
  void spaces_calls_that_woke_late_together_an_interval_apart() throws InterruptedException {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket second = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket third = pacer.next(Runs.MODEL, INTERVAL);
    Instant woke = T0.plusMillis(95);

    assertThat(hold(first, woke)).isZero();
    first.started(woke);
    assertThat(hold(second, woke)).isEqualTo(INTERVAL);
    second.started(woke.plus(INTERVAL));
    assertThat(hold(third, woke.plusMillis(3))).isEqualTo(Duration.ofMillis(17));
  }

  @Test
  void keeps_the_line_of_each_model_apart() throws InterruptedException {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket other = pacer.next(new ModelId("mdl_01HOTHERZZZZZZZZZZZZZZZZZ"), INTERVAL);

    assertThat(hold(first, T0)).isZero();
    assertThat(hold(other, T0)).isZero();
    first.started(T0);
    other.started(T0);
  }

  @Test
  void waits_for_a_predecessor_that_has_not_woken_yet_and_goes_on_past_one_that_never_starts()
      throws Exception {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket second = pacer.next(Runs.MODEL, INTERVAL);
    CompletableFuture<Duration> hold = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                hold.complete(hold(second, T0.plusMillis(10)));
              } catch (InterruptedException e) {
                hold.completeExceptionally(e);
              }
            });

    assertThat(hold).isNotDone();
    first.abandon(T0);

    assertThat(hold.get(5, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void holds_a_call_that_would_make_one_start_too_many_in_a_second_until_the_window_opens()
      throws InterruptedException {
    Duration interval = Duration.ofMillis(250);
    StartPacer.Ticket late = pacer.next(Runs.MODEL, interval);
    assertThat(hold(late, T0)).isZero();
    // Let go at its slot, the thread ran 30 ms later: the start counts where it really was.
    late.started(T0.plusMillis(30));
    for (int slot = 1; slot <= 3; slot++) {
      StartPacer.Ticket onTime = pacer.next(Runs.MODEL, interval);
      Instant at = T0.plus(interval.multipliedBy(slot));
      assertThat(hold(onTime, at)).isZero();
      onTime.started(at);
    }

    StartPacer.Ticket fifth = pacer.next(Runs.MODEL, interval);

    assertThat(hold(fifth, T0.plusSeconds(1))).isEqualTo(Duration.ofMillis(30));
  }

  @Test
  void never_starts_more_calls_in_any_second_than_the_rate_allows_however_late_threads_wake()
      throws InterruptedException {
    for (double rate : new double[] {0.1, 2.5, 5, 100, 1000}) {
      StartPacer fresh = new StartPacer();
      Duration interval = Duration.ofNanos(Math.round(1e9 / rate));
      Random random = new Random(42);
      int calls = (int) Math.max(50, rate * 60);
      long[] starts = new long[calls];
      for (int call = 0; call < calls; call++) {
        StartPacer.Ticket ticket = fresh.next(Runs.MODEL, interval);
        Instant slot = T0.plus(interval.multipliedBy(call));
        // Most threads wake within a millisecond of their slot; one in fifty stalls for up to 40
        // ms.
        long lateMicros = random.nextInt(50) == 0 ? random.nextInt(40_000) : random.nextInt(1_000);
        Instant woke = slot.plus(Duration.ofNanos(lateMicros * 1000));
        // A thread held back wakes up to half a millisecond late again.
        Instant start =
            woke.plus(hold(ticket, woke)).plus(Duration.ofNanos(random.nextInt(500_000)));
        ticket.started(start);
        starts[call] = Duration.between(T0, start).toNanos();
      }

      int allowance = (int) Math.ceil(rate);
      assertThat(busiest(starts, 1_000_000_000L))
          .as("at %s/s", rate)
          .isLessThanOrEqualTo(allowance);
      // Late calls catch up at twice the rate at most: one interval holds two starts at most.
      assertThat(busiest(starts, interval.toNanos())).as("at %s/s", rate).isLessThanOrEqualTo(2);
      double achieved = (calls - 1) / ((starts[calls - 1] - starts[0]) / 1e9);
      assertThat(achieved).as("at %s/s", rate).isCloseTo(rate, withinPercentage(1));
    }
  }

  /** The most starts in any half-open window {@code [t, t + span)} that begins at a start. */
  private static int busiest(long[] starts, long span) {
    int most = 0;
    int end = 0;
    for (int first = 0; first < starts.length; first++) {
      while (end < starts.length && starts[end] - starts[first] < span) {
        end++;
      }
      most = Math.max(most, end - first);
    }
    return most;
  }

  /** How long the ticket's call waits once it is at {@code base}. */
  private static Duration hold(StartPacer.Ticket ticket, Instant base) throws InterruptedException {
    return Duration.between(base, ticket.releaseAt(base));
  }
}
