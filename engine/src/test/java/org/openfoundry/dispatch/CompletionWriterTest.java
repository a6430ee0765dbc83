package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import tools.jackson.databind.node.ObjectNode;

class CompletionWriterTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final InMemoryTaskQueue queue = new InMemoryTaskQueue();
  private final List<List<Completion>> batches = new CopyOnWriteArrayList<>();
  private final List<Set<TaskId>> applied = new CopyOnWriteArrayList<>();

  @Test
  void writes_a_full_batch_at_once_and_the_rest_when_closed_without_waiting_out_the_linger()
      throws Exception {
    List<LeasedTask> leased = claim(4);
    CountDownLatch firstBatch = new CountDownLatch(1);
    CompletionWriter writer =
        new CompletionWriter(
            queue,
            3,
            Duration.ofSeconds(30),
            (completions, ids) -> {
              batches.add(completions);
              applied.add(ids);
              firstBatch.countDown();
            });
    writer.start();

    leased.subList(0, 3).forEach(task -> writer.submit(succeeded(task)));
    assertThat(firstBatch.await(5, TimeUnit.SECONDS)).isTrue();
    writer.submit(succeeded(leased.get(3)));
    long closing = System.nanoTime();
    writer.close();

    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
    assertThat(batches).extracting(List::size).containsExactly(3, 1);
    assertThat(applied.getFirst()).hasSize(3);
    assertThat(queue.completeCalls()).isEqualTo(2);
    assertThat(queue.allFinished()).isTrue();
  }

  @Test
  void reports_a_completion_whose_lease_is_gone_as_not_applied() throws Exception {
    List<LeasedTask> leased = claim(1);
    queue.requeueExpired(NOW.plusSeconds(61));
    CompletionWriter writer =
        new CompletionWriter(
            queue,
            10,
            Duration.ZERO,
            (completions, ids) -> {
              batches.add(completions);
              applied.add(ids);
            });
    writer.start();

    writer.submit(succeeded(leased.getFirst()));
    writer.close();

    assertThat(batches).hasSize(1);
    assertThat(applied.getFirst()).isEmpty();
    assertThat(queue.ignored()).hasSize(1);
  }

  @Test
  void writes_a_part_batch_at_once_when_no_call_of_the_node_is_still_running() throws Exception {
    List<LeasedTask> leased = claim(3);
    AtomicInteger held = new AtomicInteger(3);
    CountDownLatch written = new CountDownLatch(1);
    CompletionWriter writer =
        new CompletionWriter(
            queue,
            10,
            Duration.ofMinutes(10),
            (completions, ids) -> {
              batches.add(completions);
              held.addAndGet(-completions.size());
              written.countDown();
            },
            held::get);
    writer.start();

    writer.submit(succeeded(leased.get(0)));
    writer.submit(succeeded(leased.get(1)));
    // One call is still running: the batch waits for it (the linger is ten minutes).
    assertThat(written.await(200, TimeUnit.MILLISECONDS)).isFalse();
    writer.submit(succeeded(leased.get(2)));

    assertThat(written.await(1, TimeUnit.MINUTES)).isTrue();
    assertThat(batches).extracting(List::size).containsExactly(3);
    writer.close();
    assertThat(queue.allFinished()).isTrue();
  }

  private List<LeasedTask> claim(int tasks) {
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    RunId run = new RunId("run_01");
    queue.addRun(Runs.context(run.value(), manifest));
    for (int row = 1; row <= tasks; row++) {
      queue.addTask(run, Runs.row(row));
    }
    return queue.claim(Runs.MODEL, tasks, tasks, "node-a", Duration.ofSeconds(60), NOW);
  }

  private static Completion succeeded(LeasedTask task) {
    ObjectNode empty = Runs.JSON.createObjectNode();
    return new Completion(
        task,
        new AttemptOutcome.Succeeded(200, Duration.ofMillis(3), "{}", empty, empty),
        NOW,
        NOW.plusMillis(3));
  }
}
