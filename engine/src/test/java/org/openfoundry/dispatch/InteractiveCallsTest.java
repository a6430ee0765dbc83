package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.runs.RunId;
import tools.jackson.databind.node.ObjectNode;

class InteractiveCallsTest {
  private static final RunId RUN = new RunId("run_01");
  private static final Duration BOUND = Duration.ofSeconds(5);

  private final InMemoryTaskQueue queue = new InMemoryTaskQueue();
  private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  private final InteractiveCalls interactive = new InteractiveCalls();
  private final GatedCaller caller = new GatedCaller();
  private final Dispatcher dispatcher = dispatcher(DispatcherConfig.defaults("node-a"));

  @AfterEach
  void close() {
    dispatcher.close();
  }

  @Test
  void interactive_calls_alone_keep_to_the_cap() throws Exception {
    InteractiveCalls.Permit first = interactive.enter(Runs.MODEL, 2, BOUND);
    InteractiveCalls.Permit second = interactive.enter(Runs.MODEL, 2, BOUND);

    assertThatThrownBy(() -> interactive.enter(Runs.MODEL, 2, Duration.ZERO))
        .isInstanceOfSatisfying(
            FoundryException.class,
            failure -> assertThat(failure.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    first.close();
    first.close();
    InteractiveCalls.Permit third = interactive.enter(Runs.MODEL, 2, Duration.ZERO);
    assertThat(interactive.interactive(Runs.MODEL)).isEqualTo(2);
    second.close();
    third.close();
    assertThat(interactive.interactive(Runs.MODEL)).isZero();
  }

  @Test
  void the_dispatcher_leaves_the_cap_to_interactive_calls_already_running() throws Exception {
    addRun(1_000, 3);
    InteractiveCalls.Permit chat = interactive.enter(Runs.MODEL, 3, BOUND);
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
    assertThat(dispatcher.runOnce().claimed()).isZero();
    chat.close();

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
  }

  @Test
  void a_chat_call_takes_the_slot_a_batch_call_frees_and_never_waits_for_the_queue()
      throws Exception {
    addRun(1_000, 2);
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
    LeasedTask first = caller.nextStarted();
    caller.nextStarted();
    CountDownLatch entered = new CountDownLatch(1);
    CompletableFuture<InteractiveCalls.Permit> chat =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                InteractiveCalls.Permit permit =
                    interactive.enter(Runs.MODEL, 2, Duration.ofSeconds(30));
                entered.countDown();
                return permit;
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitWaiting();

    assertThat(dispatcher.runOnce().claimed()).isZero();
    CountDownLatch written = new CountDownLatch(1);
    dispatcher.addListener((completion, applied) -> written.countDown());
    caller.open(first);
    assertThat(entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(written.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(dispatcher.inFlight(Runs.MODEL)).isEqualTo(1);
    assertThat(dispatcher.runOnce().claimed()).isZero();

    chat.get(BOUND.toSeconds(), TimeUnit.SECONDS).close();
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
  }

  @Test
  void a_chat_call_ending_wakes_the_dispatcher_to_fill_the_room_it_leaves() throws Exception {
    addRun(10, 2);
    InteractiveCalls.Permit chat = interactive.enter(Runs.MODEL, 2, BOUND);
    Dispatcher polling =
        dispatcher(DispatcherConfig.defaults("node-b").withPollInterval(Duration.ofSeconds(20)));
    try {
      polling.start();
      // The first cycle takes the one slot the chat leaves; the next is due in 20 s.
      caller.nextStarted();

      chat.close();

      // Well within the poll interval: the chat's slot woke the dispatcher.
      caller.nextStarted();
      assertThat(polling.inFlight(Runs.MODEL)).isEqualTo(2);
    } finally {
      polling.close();
    }
  }

  @Test
  void an_interactive_call_gives_up_when_batch_calls_hold_the_cap_past_its_wait() {
    addRun(10, 1);
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);

    assertThatThrownBy(() -> interactive.enter(Runs.MODEL, 1, Duration.ofMillis(20)))
        .isInstanceOf(FoundryException.class)
        .hasMessageContaining("stayed busy");
    assertThat(interactive.interactive(Runs.MODEL)).isZero();
  }

  @Test
  void a_chat_with_a_smaller_cap_than_the_runs_is_not_kept_waiting_by_refilled_batch_calls()
      throws Exception {
    assertThat(interactive.startBatch(Runs.MODEL, 4, 3)).isEqualTo(3);
    CompletableFuture<InteractiveCalls.Permit> chat =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return interactive.enter(Runs.MODEL, 1, BOUND);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitWaiting();

    // A batch call ends: its slot is not given to another batch call while the chat, whose
    // version allows one call at a time, waits.
    interactive.endBatch(Runs.MODEL, 1);
    assertThat(interactive.startBatch(Runs.MODEL, 4, 1)).isZero();
    interactive.endBatch(Runs.MODEL, 2);

    chat.get(BOUND.toSeconds(), TimeUnit.SECONDS).close();
    assertThat(interactive.startBatch(Runs.MODEL, 4, 4)).isEqualTo(4);
    interactive.endBatch(Runs.MODEL, 4);
  }

  @Test
  void a_chat_with_a_larger_cap_than_the_runs_keeps_to_the_runs_cap_while_they_run() {
    assertThat(interactive.startBatch(Runs.MODEL, 2, 2)).isEqualTo(2);

    assertThatThrownBy(() -> interactive.enter(Runs.MODEL, 8, Duration.ZERO))
        .isInstanceOf(FoundryException.class)
        .hasMessageContaining("stayed busy");
    interactive.endBatch(Runs.MODEL, 1);
    assertThat(interactive.interactive(Runs.MODEL)).isZero();
  }

  /** Waits, within a bound, until the chat call is queued in the lane. */
  private void awaitWaiting() throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (interactive.interactive(Runs.MODEL) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the chat call never waited for a slot");
      }
      Thread.onSpinWait();
    }
  }

  /** A dispatcher of the test's queue, caller and lane, with no grace for calls left at a gate. */
  private Dispatcher dispatcher(DispatcherConfig config) {
    return new Dispatcher(
        queue,
        new InMemoryRateLimiter(clock),
        caller,
        clock,
        duration -> {},
        config.withShutdownGrace(Duration.ZERO),
        interactive);
  }

  private void addRun(int rows, int maxConcurrency) {
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    manifest.put("max_concurrency", maxConcurrency);
    queue.addRun(Runs.context(RUN.value(), manifest));
    for (int row = 1; row <= rows; row++) {
      queue.addTask(RUN, Runs.row(row));
    }
  }
}
