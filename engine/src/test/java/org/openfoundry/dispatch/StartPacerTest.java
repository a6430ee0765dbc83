package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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

    assertThat(first.holdAfter(T0)).isZero();
    assertThat(second.holdAfter(T0.plus(INTERVAL))).isZero();
  }

  @Test
  void spaces_calls_that_woke_late_together_an_interval_apart() throws InterruptedException {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket second = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket third = pacer.next(Runs.MODEL, INTERVAL);
    Instant woke = T0.plusMillis(95);

    assertThat(first.holdAfter(woke)).isZero();
    assertThat(second.holdAfter(woke)).isEqualTo(INTERVAL);
    assertThat(third.holdAfter(woke.plusMillis(3))).isEqualTo(Duration.ofMillis(17));
  }

  @Test
  void keeps_the_line_of_each_model_apart() throws InterruptedException {
    StartPacer.Ticket first = pacer.next(Runs.MODEL, INTERVAL);
    StartPacer.Ticket other = pacer.next(new ModelId("mdl_01HOTHERZZZZZZZZZZZZZZZZZ"), INTERVAL);

    assertThat(first.holdAfter(T0)).isZero();
    assertThat(other.holdAfter(T0)).isZero();
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
                hold.complete(second.holdAfter(T0.plusMillis(10)));
              } catch (InterruptedException e) {
                hold.completeExceptionally(e);
              }
            });

    assertThat(hold).isNotDone();
    first.abandon(T0);

    assertThat(hold.get(5, TimeUnit.SECONDS)).isZero();
  }
}
