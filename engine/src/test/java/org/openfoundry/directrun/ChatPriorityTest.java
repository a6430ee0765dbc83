package org.openfoundry.directrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.chat.Conversation;
import org.openfoundry.chat.Message;
import org.openfoundry.chat.Role;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Dispatcher;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointCall;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.dispatch.InMemoryTaskQueue;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.dispatch.RunDispatchContext;
import org.openfoundry.dispatch.Runs;
import org.openfoundry.dispatch.TaskCaller;
import org.openfoundry.models.Model;
import org.openfoundry.models.SecretValue;
import org.openfoundry.runs.RunId;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat call against a model busy with a long batch run: it waits for one running batch call at
 * most and for the rate slots already handed out within the dispatcher's horizon, never for the
 * run's queue. The clock moves only when someone waits.
 */
class ChatPriorityTest {
  private static final RunId RUN = new RunId("run_01PRIORITY");
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final ChatFixture fixture = new ChatFixture();
  private final FakeEndpoint endpoint =
      FakeEndpoint.answering(Reply.json("{\"text\": \"right away\"}"));
  private final InMemoryTaskQueue queue = new InMemoryTaskQueue();
  private final GatedBatch batch = new GatedBatch();
  private final Dispatcher dispatcher =
      new Dispatcher(
          queue,
          fixture.limiter,
          batch,
          fixture.clock,
          duration -> {},
          DispatcherConfig.defaults("node-a")
              .withHorizon(Duration.ofSeconds(2))
              .withShutdownGrace(Duration.ZERO),
          fixture.interactive);

  @AfterEach
  void close() {
    dispatcher.close();
    endpoint.close();
    fixture.close();
  }

  @Test
  void a_chat_call_goes_before_the_queued_tasks_of_a_running_batch() throws Exception {
    Model model =
        fixture.model(
            ChatFixture.manifest(
                "busy captioner", endpoint.uri(), "requests_per_second: 1\nmax_concurrency: 2\n"));
    queueRun(model, 1_000);
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
    LeasedTask first = batch.nextStarted();
    batch.nextStarted();
    ChatTarget target =
        fixture.service.target(
            model.id(), OptionalInt.empty(), JsonMapper.builder().build().createObjectNode());

    CompletableFuture<ChatOutcome> chat =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return fixture.service.call(
                    target, Conversation.of(Message.text(Role.USER, "Now, please.")));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitWaitingChat(model);
    assertThat(dispatcher.runOnce().claimed()).isZero();
    CountDownLatch written = new CountDownLatch(1);
    dispatcher.addListener((completion, applied) -> written.countDown());
    batch.open(first);
    ChatOutcome outcome = chat.get(BOUND.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome).isInstanceOf(ChatAnswer.class);
    // The two batch starts reserved before it (now and in 1 s) go first; the chat's is next.
    assertThat(fixture.waits).containsExactly(Duration.ofSeconds(2));
    assertThat(batch.startedCount()).isEqualTo(2);
    assertThat(endpoint.requests()).hasSize(1);
    assertThat(written.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
  }

  private void queueRun(Model model, int rows) {
    RunDispatchContext context =
        Runs.context(
            RUN.value(),
            model.id(),
            fixture.store.models().version(model.latestVersionId()).orElseThrow().manifest(),
            Optional.of(new SecretValue(ChatFixture.SECRET)));
    queue.addRun(context);
    for (int row = 1; row <= rows; row++) {
      queue.addTask(RUN, Runs.row(row));
    }
  }

  private void awaitWaitingChat(Model model) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (fixture.interactive.interactive(model.id()) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the chat call never asked for a slot");
      }
      Thread.onSpinWait();
    }
  }

  /** Batch calls that end only when the test opens their gate. */
  private static final class GatedBatch implements TaskCaller {
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<LeasedTask> started = new LinkedBlockingQueue<>();
    private final List<LeasedTask> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public AttemptOutcome attempt(LeasedTask task, RunDispatchContext context, EndpointCall call)
        throws InterruptedException {
      started.add(task);
      all.add(task);
      gate(task).await();
      return new AttemptOutcome.Succeeded(
          200,
          Duration.ofMillis(1),
          "{}",
          Runs.JSON.createObjectNode(),
          Runs.JSON.createObjectNode());
    }

    LeasedTask nextStarted() throws InterruptedException {
      LeasedTask task = started.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
      if (task == null) {
        throw new AssertionError("no batch call started in time");
      }
      return task;
    }

    int startedCount() {
      return all.size();
    }

    void open(LeasedTask task) {
      gate(task).countDown();
    }

    private CountDownLatch gate(LeasedTask task) {
      return gates.computeIfAbsent(task.id().value(), key -> new CountDownLatch(1));
    }
  }
}
