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
import org.openfoundry.runs.TaskState;
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
    CompletionWriter writer = recording(queue, 10, Duration.ZERO);
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

  @Test
  void a_completion_the_queue_refuses_costs_only_itself_its_answer() throws Exception {
    List<LeasedTask> leased = claim(4);
    TaskId poison = leased.get(0).id();
    TaskQueue refusing = new Refusing(queue, poison);
    CompletionWriter writer = recording(refusing, 4, Duration.ofMinutes(1));
    writer.start();

    leased.forEach(task -> writer.submit(succeeded(task)));
    writer.close();

    assertThat(applied.stream().flatMap(Set::stream))
        .containsExactlyInAnyOrder(leased.get(1).id(), leased.get(2).id(), leased.get(3).id());
    assertThat(queue.state(poison)).isEqualTo(TaskState.LEASED);
  }

  @Test
  void stops_writing_one_by_one_when_the_first_two_fail_alone_too() throws Exception {
    List<LeasedTask> leased = claim(4);
    Refusing away = new Refusing(queue, null);
    CompletionWriter writer = recording(away, 4, Duration.ofMinutes(1));
    writer.start();

    leased.forEach(task -> writer.submit(succeeded(task)));
    writer.close();

    assertThat(applied.stream().flatMap(Set::stream)).isEmpty();
    // One full batch, twice, then its first two alone: the database is taken to be away.
    assertThat(away.calls.get()).isEqualTo(4);
  }

  /**
   * A task queue that refuses every batch holding {@code poison}, or every batch at all when it is
   * null (a database that is away).
   */
  private static final class Refusing extends ForwardingTaskQueue {
    private final TaskId poison;
    final AtomicInteger calls = new AtomicInteger();

    Refusing(TaskQueue delegate, TaskId poison) {
      super(delegate);
      this.poison = poison;
    }

    @Override
    public Set<TaskId> complete(List<Completion> completions) {
      calls.incrementAndGet();
      if (poison == null
          || completions.stream().anyMatch(completion -> completion.task().id().equals(poison))) {
        throw new IllegalStateException("refused");
      }
      return super.complete(completions);
    }
  }

  /** A writer that notes each batch it wrote and what of it was applied. */
  private CompletionWriter recording(TaskQueue target, int batchSize, Duration linger) {
    return new CompletionWriter(
        target,
        batchSize,
        linger,
        (completions, ids) -> {
          batches.add(completions);
          applied.add(ids);
        });
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
