package org.openfoundry.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.models.ModelId;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.ratelimit.RateLimiter;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.TaskId;
import org.openfoundry.runs.TaskState;
import org.openfoundry.time.Sleeper;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

class DispatcherTest {
  private static final String RESPONSE = "{\"label\": \"tench\"}";
  private static final RunId RUN = new RunId("run_01");

  private final InMemoryTaskQueue queue = new InMemoryTaskQueue();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private EndpointClient client;

  @BeforeEach
  void startClient() {
    client = new EndpointClient(EndpointClientConfig.defaults(), Clock.systemUTC());
    client.start();
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
    client.close();
  }

  @Test
  void completes_every_task_exactly_once_through_errors_and_retries() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    List<Reply> replies = new ArrayList<>();
    for (int index = 0; index < 400; index++) {
      int roll = random.nextInt(10);
      replies.add(
          switch (roll) {
            case 0 -> Reply.status(503);
            case 1 -> new Reply.Drop(Duration.ZERO);
            case 2 -> Reply.withHeader(429, "Retry-After", "0");
            default -> Reply.json(RESPONSE).after(Duration.ofMillis(random.nextInt(15)));
          });
    }
    // Each task's attempts draw their own replies, so that how the calls interleave (which varies
    // with the machine's load) never hands one task a long run of failures.
    FakeEndpoint endpoint =
        endpoint(
            request ->
                replies.get(
                    Math.floorMod(
                        Objects.hash(
                            request.header("Idempotency-Key"),
                            request.header("OpenFoundry-Attempt")),
                        replies.size())));
    addRun(
        endpoint.uri(), 60, manifest -> manifest.put("max_concurrency", 6).put("max_attempts", 10));
    CountDownLatch finished = new CountDownLatch(60);
    List<Completion> applied = new CopyOnWriteArrayList<>();
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.addListener(
        (completion, wasApplied) -> {
          if (wasApplied) {
            applied.add(completion);
            if (!(completion.outcome() instanceof AttemptOutcome.RetryLater)) {
              finished.countDown();
            }
          }
        });

    dispatcher.start();

    assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.allFinished()).isTrue();
    Map<TaskId, Integer> terminal = new ConcurrentHashMap<>();
    for (TaskId id : queue.taskIds()) {
      assertThat(queue.state(id)).isEqualTo(TaskState.SUCCEEDED);
      List<AttemptOutcome> history = queue.history(id);
      assertThat(history.getLast()).isInstanceOf(AttemptOutcome.Succeeded.class);
      assertThat(history.subList(0, history.size() - 1))
          .allMatch(outcome -> outcome instanceof AttemptOutcome.RetryLater);
      terminal.merge(id, 1, Integer::sum);
    }
    assertThat(terminal).hasSize(60).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    int attempts = queue.taskIds().stream().mapToInt(id -> queue.history(id).size()).sum();
    assertThat(endpoint.requests()).hasSize(attempts);
    assertThat(applied).hasSize(attempts);
    assertThat(queue.ignored()).isEmpty();
    assertThat(endpoint.maxConcurrent()).isLessThanOrEqualTo(6);
  }

  @Test
  void retries_after_a_503_and_then_succeeds_with_the_same_idempotency_key() throws Exception {
    FakeEndpoint endpoint =
        endpoint(FakeEndpoint.sequence(Reply.status(503), Reply.json(RESPONSE)));
    TaskId task = addRun(endpoint.uri(), 1, manifest -> {}).getFirst();
    CountDownLatch done = terminalLatch(1);
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.addListener(countTerminal(done));

    dispatcher.start();

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.history(task))
        .hasSize(2)
        .first()
        .isInstanceOfSatisfying(
            AttemptOutcome.RetryLater.class,
            retry -> assertThat(retry.errorCode()).isEqualTo("ENDPOINT_HTTP_503"));
    assertThat(queue.history(task).getLast()).isInstanceOf(AttemptOutcome.Succeeded.class);
    assertThat(endpoint.requests())
        .extracting(request -> request.header("Idempotency-Key"))
        .containsExactly(task.value(), task.value());
    assertThat(endpoint.requests())
        .extracting(request -> request.header("OpenFoundry-Attempt"))
        .containsExactly("1", "2");
  }

  @Test
  void fails_a_task_after_its_max_attempts_and_carries_on_with_the_others() throws Exception {
    FakeEndpoint endpoint =
        endpoint(
            request ->
                request.body().contains("dr_000001") ? Reply.status(502) : Reply.json(RESPONSE));
    List<TaskId> tasks = addRun(endpoint.uri(), 3, manifest -> manifest.put("max_attempts", 3));
    CountDownLatch done = terminalLatch(3);
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.addListener(countTerminal(done));

    dispatcher.start();

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.state(tasks.get(0))).isEqualTo(TaskState.FAILED);
    assertThat(queue.attempts(tasks.get(0))).isEqualTo(3);
    assertThat(queue.history(tasks.get(0)).getLast())
        .isInstanceOfSatisfying(
            AttemptOutcome.Failed.class,
            failed -> assertThat(failed.errorCode()).isEqualTo("ENDPOINT_HTTP_502"));
    assertThat(queue.state(tasks.get(1))).isEqualTo(TaskState.SUCCEEDED);
    assertThat(queue.state(tasks.get(2))).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_call_that_throws_fails_its_task_and_is_logged_without_the_secret() throws Exception {
    TaskId task = addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {}).getFirst();
    TaskCaller throwing =
        (leased, context, call) -> {
          throw new IllegalStateException(
              "refused: Bearer " + Runs.SECRET,
              new IllegalArgumentException("header value " + Runs.SECRET));
        };
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Dispatcher.class);
    logged.start();
    logger.addAppender(logged);
    try {
      CountDownLatch done = terminalLatch(1);
      Clock clock = Clock.systemUTC();
      Dispatcher dispatcher =
          dispatcher(
              "node-a",
              clock,
              throwing,
              Sleeper.system(),
              realTimeConfig("node-a"),
              new InMemoryRateLimiter(clock));
      dispatcher.addListener(countTerminal(done));

      dispatcher.start();

      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(queue.history(task).getLast())
        .isInstanceOfSatisfying(
            AttemptOutcome.Failed.class,
            failed -> {
              assertThat(failed.errorCode()).isEqualTo("DISPATCH_ERROR");
              assertThat(failed.message()).doesNotContain(Runs.SECRET).contains("****");
            });
    assertThat(logged.list)
        .filteredOn(event -> event.getLevel() == Level.ERROR)
        .singleElement()
        .satisfies(
            event -> {
              String text =
                  event.getFormattedMessage()
                      + "\n"
                      + ThrowableProxyUtil.asString(event.getThrowableProxy());
              assertThat(text)
                  .doesNotContain(Runs.SECRET)
                  .contains("java.lang.IllegalStateException: refused: Bearer ****")
                  .contains("java.lang.IllegalArgumentException: header value ****")
                  .contains("DispatcherTest");
            });
  }

  @Test
  void a_call_that_throws_an_error_gives_its_lease_up_instead_of_renewing_it_for_ever()
      throws Exception {
    addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {});
    TaskCaller broken =
        (leased, context, call) -> {
          throw new StackOverflowError("deep inside the caller");
        };
    Dispatcher dispatcher =
        steppedDispatcher(
            "node-a", MutableClock.at("2026-03-01T12:00:00Z"), broken, new RecordingSleeper());

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);

    awaitCondition(() -> dispatcher.inFlight(Runs.MODEL) == 0, "the broken call to leave");
  }

  @Test
  void a_run_that_cannot_be_read_at_launch_leaves_no_paced_start_waiting_behind_it()
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    manifest.put("requests_per_second", 5);
    RunId late = new RunId("run_02");
    queue.addRun(Runs.context(RUN.value(), manifest));
    queue.addRun(Runs.context(late.value(), manifest));
    queue.addTask(RUN, Runs.row(1));
    queue.addTask(late, Runs.row(2));
    queue.addTask(late, Runs.row(3));
    // The second run came in after the demand was read, and its first read fails.
    UnreadableRun unreadable = new UnreadableRun(queue, late);
    GatedCaller caller = new GatedCaller();
    Dispatcher dispatcher =
        new Dispatcher(
            unreadable,
            new InMemoryRateLimiter(clock),
            caller,
            clock,
            new RecordingSleeper(),
            steppedConfig("node-a").withHorizon(Duration.ofSeconds(1)));
    resources.add(dispatcher);

    dispatcher.runOnce();
    caller.open(caller.nextStarted());
    assertThat(dispatcher.inFlight(Runs.MODEL)).isLessThanOrEqualTo(1);
    clock.advance(DispatcherConfig.defaults("node-a").leaseDuration().plusSeconds(1));
    awaitCondition(() -> dispatcher.inFlight(Runs.MODEL) == 0, "the first call to be written");
    dispatcher.runOnce();

    // The late run's tasks, claimed again once their leases lapsed, start.
    LeasedTask retaken = caller.nextStarted();
    assertThat(retaken.runId()).isEqualTo(late);
  }

  @Test
  void a_claim_that_fails_gives_back_the_rate_slots_reserved_for_it() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    ObjectNode manifest = Runs.manifest(URI.create("http://127.0.0.1:9/predict"));
    manifest.put("requests_per_second", 1);
    queue.addRun(Runs.context(RUN.value(), manifest));
    queue.addTask(RUN, Runs.row(1));
    queue.addTask(RUN, Runs.row(2));
    TaskQueue databaseAway =
        new ForwardingTaskQueue(queue) {
          @Override
          public List<LeasedTask> claim(
              ModelId model,
              int max,
              int concurrencyCap,
              String owner,
              Duration leaseFor,
              Instant now) {
            throw new IllegalStateException("database error: the connection was closed");
          }
        };
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
    Dispatcher dispatcher =
        new Dispatcher(
            databaseAway,
            limiter,
            new GatedCaller(),
            clock,
            new RecordingSleeper(),
            steppedConfig("node-a").withHorizon(Duration.ofSeconds(2)));
    resources.add(dispatcher);

    assertThat(dispatcher.runOnce().claimed()).isZero();

    // The slots the failed claim had reserved (now, 1 s and 2 s) are free again.
    assertThat(limiter.reserve(Runs.MODEL, 1, 1, Duration.ofSeconds(10)))
        .containsExactly(Duration.ZERO);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 10 s for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /**
   * A queue whose demand does not name {@code hidden} until its first read, which fails: a run
   * created after the demand was read, and the database away for a moment when it is.
   */
  private static final class UnreadableRun extends ForwardingTaskQueue {
    private final RunId hidden;
    private boolean failed;

    UnreadableRun(InMemoryTaskQueue delegate, RunId hidden) {
      super(delegate);
      this.hidden = hidden;
    }

    @Override
    public synchronized List<ModelDemand> demand(Instant now) {
      List<ModelDemand> demand = super.demand(now);
      if (failed) {
        return demand;
      }
      return demand.stream()
          .map(
              model ->
                  new ModelDemand(
                      model.modelId(),
                      model.runnable(),
                      model.leased(),
                      model.runs().stream().filter(run -> !run.equals(hidden)).toList()))
          .toList();
    }

    @Override
    public synchronized RunDispatchContext context(RunId run) {
      if (run.equals(hidden) && !failed) {
        failed = true;
        throw new IllegalStateException("the database is away for a moment");
      }
      return super.context(run);
    }
  }

  @Test
  void never_has_more_calls_in_flight_than_the_model_concurrency_cap() throws Exception {
    FakeEndpoint endpoint =
        endpoint(FakeEndpoint.always(Reply.json(RESPONSE).after(Duration.ofMillis(40))));
    addRun(endpoint.uri(), 24, manifest -> manifest.put("max_concurrency", 3));
    CountDownLatch done = terminalLatch(24);
    AtomicInteger mostInFlight = new AtomicInteger();
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.addListener(countTerminal(done));
    dispatcher.addListener(
        (completion, applied) ->
            mostInFlight.accumulateAndGet(dispatcher.inFlight(Runs.MODEL), Math::max));

    dispatcher.start();

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(endpoint.maxConcurrent()).isEqualTo(3);
    assertThat(mostInFlight.get()).isLessThanOrEqualTo(3);
    assertThat(queue.allFinished()).isTrue();
  }

  @Test
  void the_concurrency_cap_holds_across_nodes_sharing_the_queue() {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    addRun(
        URI.create("http://127.0.0.1:9/predict"),
        5,
        manifest -> manifest.put("max_concurrency", 2));
    GatedCaller caller = new GatedCaller();
    Dispatcher first = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    Dispatcher second = steppedDispatcher("node-b", clock, caller, new RecordingSleeper());

    assertThat(first.runOnce().claimed()).isEqualTo(2);
    assertThat(second.runOnce().claimed()).isZero();
    assertThat(first.inFlight()).isEqualTo(Map.of(Runs.MODEL, 2));
    assertThat(second.inFlight()).isEmpty();
  }

  @Test
  void starts_calls_at_the_slots_the_rate_limit_hands_out() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    addRun(
        URI.create("http://127.0.0.1:9/predict"),
        10,
        manifest -> manifest.put("requests_per_second", 5));
    GatedCaller caller = new GatedCaller();
    RecordingSleeper sleeper = new RecordingSleeper();
    Dispatcher dispatcher =
        steppedDispatcher(
            "node-a",
            clock,
            caller,
            sleeper,
            steppedConfig("node-a").withHorizon(Duration.ofSeconds(1)),
            new InMemoryRateLimiter(clock));

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(6);
    for (int call = 0; call < 6; call++) {
      caller.nextStarted();
    }
    assertThat(sleeper.delays())
        .containsExactlyInAnyOrder(
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(600),
            Duration.ofMillis(800),
            Duration.ofMillis(1000));
    assertThat(dispatcher.runOnce().claimed()).isZero();

    clock.advance(Duration.ofMillis(400));

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
  }

  @Test
  void a_call_late_for_its_slot_on_a_shared_schedule_gives_it_up_and_reserves_another()
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    Instant start = clock.instant();
    addRun(
        URI.create("http://127.0.0.1:9/predict"),
        1,
        manifest -> manifest.put("requests_per_second", 20));
    GatedCaller caller = new GatedCaller();
    // 20/s: slots 50 ms apart, so a call 15 ms late would start close to another node's.
    LateSleeper sleeper = new LateSleeper(clock, Duration.ofMillis(15));
    SharedLimiter limiter =
        new SharedLimiter(
            List.of(List.of(Duration.ofMillis(100)), List.of(), List.of(Duration.ofMillis(40))));
    Dispatcher dispatcher =
        steppedDispatcher("node-a", clock, caller, sleeper, steppedConfig("node-a"), limiter);
    FirstWritten written = new FirstWritten();
    dispatcher.addListener(written);

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
    caller.open(caller.nextStarted());
    Completion first = written.await();

    // Woke at 115 ms for the slot at 100 ms; the next reservation found the schedule held beyond
    // the horizon, so the call looked again after it (2 s) and started at the slot it got then.
    assertThat(limiter.asked()).containsExactly(1, 1, 1);
    assertThat(sleeper.delays())
        .containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(40));
    assertThat(first.startedAt()).isEqualTo(start.plusMillis(115 + 2000 + 40));
  }

  @Test
  void a_call_whose_shared_slot_cannot_be_reserved_again_goes_back_to_the_queue() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    TaskId task =
        addRun(
                URI.create("http://127.0.0.1:9/predict"),
                1,
                manifest -> manifest.put("requests_per_second", 20))
            .getFirst();
    GatedCaller caller = new GatedCaller();
    // The call wakes 15 ms late for its slot and must reserve another, which the database refuses.
    LateSleeper sleeper = new LateSleeper(clock, Duration.ofMillis(15));
    SharedLimiter away = SharedLimiter.awayAfter(List.of(List.of(Duration.ofMillis(100))));
    Dispatcher dispatcher =
        steppedDispatcher("node-a", clock, caller, sleeper, steppedConfig("node-a"), away);
    FirstWritten written = new FirstWritten();
    dispatcher.addListener(written);

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);

    assertThat(written.await().outcome())
        .isInstanceOfSatisfying(
            AttemptOutcome.RetryLater.class,
            retry -> {
              assertThat(retry.errorCode()).isEqualTo("DISPATCH_ERROR");
              assertThat(retry.message()).startsWith("the attempt could not start");
            });
    assertThat(queue.state(task)).isEqualTo(TaskState.QUEUED);
    assertThat(caller.noneStarted()).isTrue();
  }

  /**
   * Kept: at 20/s up to a quarter interval (12.5 ms) late; at 500/s, where a quarter interval is
   * 0.5 ms (shorter than an ordinary wake-up), up to the 5 ms floor.
   */
  @ParameterizedTest
  @CsvSource({"20, 12", "500, 4"})
  void a_call_late_within_the_tolerance_keeps_its_shared_slot(double rate, long lateMillis)
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    addRun(
        URI.create("http://127.0.0.1:9/predict"),
        1,
        manifest -> manifest.put("requests_per_second", rate));
    GatedCaller caller = new GatedCaller();
    LateSleeper sleeper = new LateSleeper(clock, Duration.ofMillis(lateMillis));
    SharedLimiter limiter = new SharedLimiter(List.of(List.of(Duration.ofMillis(100))));
    Dispatcher dispatcher =
        steppedDispatcher("node-a", clock, caller, sleeper, steppedConfig("node-a"), limiter);

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
    caller.nextStarted();

    assertThat(limiter.asked()).containsExactly(1);
    assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void a_429_holds_the_model_back_for_every_task_not_just_its_own() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    FakeEndpoint endpoint =
        endpoint(
            FakeEndpoint.sequence(
                Reply.withHeader(429, "Retry-After", "30"), Reply.json(RESPONSE)));
    ObjectNode manifest = Runs.manifest(endpoint.uri()).put("requests_per_second", 100);
    queue.addRun(Runs.context(RUN.value(), manifest));
    TaskId first = queue.addTask(RUN, Runs.row(1));
    RateLimiter limiter = new InMemoryRateLimiter(clock);
    EndpointTaskCaller caller =
        new EndpointTaskCaller(
            client,
            new KeepWholeResponse(),
            RetryPolicy.standard(new SplittableRandom(3)),
            limiter,
            clock);
    RecordingSleeper sleeper = new RecordingSleeper();
    Dispatcher dispatcher =
        steppedDispatcher("node-a", clock, caller, sleeper, steppedConfig("node-a"), limiter);
    CountDownLatch written = new CountDownLatch(1);
    dispatcher.addListener((completion, applied) -> written.countDown());

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
    assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.availableAt(first)).isEqualTo(clock.instant().plusSeconds(30));
    TaskId second = queue.addTask(RUN, Runs.row(2));

    assertThat(dispatcher.runOnce().claimed()).isZero();
    clock.advance(Duration.ofSeconds(27));
    assertThat(dispatcher.runOnce().claimed()).isZero();
    clock.advance(Duration.ofSeconds(3));
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
    assertThat(queue.state(second)).isEqualTo(TaskState.LEASED);
    assertThat(endpoint.awaitRequests(3, Duration.ofSeconds(5))).isTrue();
    assertThat(sleeper.delays()).containsExactly(Duration.ofMillis(10));
  }

  @Test
  void a_429_holds_back_a_model_that_has_no_rate_limit_too() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    FakeEndpoint endpoint =
        endpoint(
            FakeEndpoint.sequence(
                Reply.withHeader(429, "Retry-After", "20"), Reply.json(RESPONSE)));
    queue.addRun(Runs.context(RUN.value(), Runs.manifest(endpoint.uri())));
    queue.addTask(RUN, Runs.row(1));
    RateLimiter limiter = new InMemoryRateLimiter(clock);
    EndpointTaskCaller caller =
        new EndpointTaskCaller(
            client,
            new KeepWholeResponse(),
            RetryPolicy.standard(new SplittableRandom(3)),
            limiter,
            clock);
    RecordingSleeper sleeper = new RecordingSleeper();
    Dispatcher dispatcher =
        steppedDispatcher("node-a", clock, caller, sleeper, steppedConfig("node-a"), limiter);
    CountDownLatch written = new CountDownLatch(1);
    dispatcher.addListener((completion, applied) -> written.countDown());
    assertThat(dispatcher.runOnce().claimed()).isEqualTo(1);
    assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
    queue.addTask(RUN, Runs.row(2));
    queue.addTask(RUN, Runs.row(3));

    assertThat(dispatcher.runOnce().claimed()).isZero();
    clock.advance(Duration.ofSeconds(19));

    assertThat(dispatcher.runOnce().claimed()).isEqualTo(2);
    assertThat(endpoint.awaitRequests(3, Duration.ofSeconds(5))).isTrue();
    assertThat(sleeper.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
  }

  @Test
  void renews_the_lease_of_a_long_call_once_half_of_it_is_left() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    Instant start = clock.instant();
    TaskId task = addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {}).getFirst();
    GatedCaller caller = new GatedCaller();
    Dispatcher dispatcher = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    CountDownLatch written = new CountDownLatch(1);
    dispatcher.addListener((completion, applied) -> written.countDown());

    dispatcher.runOnce();
    LeasedTask leased = caller.nextStarted();
    assertThat(leased.lease().expiresAt()).isEqualTo(start.plusSeconds(60));

    clock.advance(Duration.ofSeconds(29));
    assertThat(dispatcher.runOnce().renewed()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(dispatcher.runOnce().renewed()).isEqualTo(1);
    assertThat(queue.lease(task))
        .hasValueSatisfying(
            lease -> assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(91)));

    clock.advance(Duration.ofSeconds(50));
    assertThat(dispatcher.runOnce().requeued()).isZero();
    assertThat(queue.state(task)).isEqualTo(TaskState.LEASED);

    caller.open(leased);
    assertThat(written.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.state(task)).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void a_node_whose_cycles_stalled_past_its_leases_keeps_them_rather_than_taking_them_back()
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    TaskId task = addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {}).getFirst();
    GatedCaller caller = new GatedCaller();
    Dispatcher dispatcher = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    dispatcher.runOnce();
    LeasedTask running = caller.nextStarted();

    // No cycle ran for longer than the lease (the database away, say), and no other node took it.
    clock.advance(Duration.ofSeconds(61));
    Dispatcher.Cycle cycle = dispatcher.runOnce();

    assertThat(cycle).isEqualTo(new Dispatcher.Cycle(0, 1, 0));
    assertThat(caller.noneStarted()).isTrue();
    assertThat(queue.lease(task))
        .hasValueSatisfying(lease -> assertThat(lease.token()).isEqualTo(running.lease().token()));
    assertThat(queue.history(task)).isEmpty();
  }

  @Test
  void ignores_a_late_completion_whose_lease_expired_and_was_taken_by_another_node()
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    TaskId task = addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {}).getFirst();
    GatedCaller caller = new GatedCaller();
    Dispatcher crashedAway = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    Dispatcher survivor = steppedDispatcher("node-b", clock, caller, new RecordingSleeper());
    List<Boolean> heardByFirst = new CopyOnWriteArrayList<>();
    CountDownLatch firstWritten = new CountDownLatch(1);
    crashedAway.addListener(
        (completion, applied) -> {
          heardByFirst.add(applied);
          firstWritten.countDown();
        });
    CountDownLatch secondWritten = new CountDownLatch(1);
    survivor.addListener((completion, applied) -> secondWritten.countDown());

    crashedAway.runOnce();
    LeasedTask stale = caller.nextStarted();
    clock.advance(Duration.ofSeconds(61));
    Dispatcher.Cycle cycle = survivor.runOnce();
    LeasedTask fresh = caller.nextStarted();

    assertThat(cycle.requeued()).isEqualTo(1);
    assertThat(cycle.claimed()).isEqualTo(1);
    assertThat(fresh.attempt()).isEqualTo(2);
    assertThat(fresh.lease().token()).isNotEqualTo(stale.lease().token());

    caller.open(stale);
    assertThat(firstWritten.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(heardByFirst).containsExactly(false);
    assertThat(queue.ignored()).extracting(Completion::task).containsExactly(stale);
    assertThat(queue.state(task)).isEqualTo(TaskState.LEASED);
    assertThat(crashedAway.inFlight()).isEmpty();

    caller.open(fresh);
    assertThat(secondWritten.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.state(task)).isEqualTo(TaskState.SUCCEEDED);
    assertThat(queue.history(task)).hasSize(1);
  }

  @Test
  void looks_for_expired_leases_once_per_poll_interval_however_often_cycles_run() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    TaskId first = addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {}).getFirst();
    GatedCaller caller = new GatedCaller();
    Dispatcher crashed = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    crashed.runOnce();
    caller.nextStarted();
    clock.advance(Duration.ofMillis(300));
    TaskId second = queue.addTask(RUN, Runs.row(2));
    crashed.runOnce();
    caller.nextStarted();
    Dispatcher survivor = steppedDispatcher("node-b", clock, caller, new RecordingSleeper());

    clock.advance(Duration.ofMillis(59_800));
    assertThat(survivor.runOnce().requeued()).isEqualTo(1);
    clock.advance(Duration.ofMillis(300));
    Dispatcher.Cycle tooSoon = survivor.runOnce();
    clock.advance(Duration.ofMillis(200));
    Dispatcher.Cycle nextPoll = survivor.runOnce();

    assertThat(first).isNotEqualTo(second);
    assertThat(tooSoon.requeued()).isZero();
    assertThat(nextPoll.requeued()).isEqualTo(1);
    assertThat(caller.nextStarted().id()).isEqualTo(first);
    assertThat(caller.nextStarted().id()).isEqualTo(second);
  }

  @Test
  void stops_renewing_a_lease_it_lost() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    addRun(URI.create("http://127.0.0.1:9/predict"), 1, manifest -> {});
    GatedCaller caller = new GatedCaller();
    Dispatcher dispatcher = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    dispatcher.runOnce();
    LeasedTask first = caller.nextStarted();

    clock.advance(Duration.ofSeconds(61));
    // Another node returned the lapsed lease to the queue before this one renewed it.
    assertThat(queue.requeueExpired(clock.instant())).isEqualTo(1);
    Dispatcher.Cycle cycle = dispatcher.runOnce();

    assertThat(cycle.renewed()).isZero();
    assertThat(cycle.claimed()).isEqualTo(1);
    LeasedTask second = caller.nextStarted();
    assertThat(second.attempt()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(31));
    assertThat(dispatcher.runOnce().renewed()).isEqualTo(1);
    caller.open(first);
    caller.open(second);
  }

  @Test
  void fails_the_tasks_of_a_run_whose_manifest_cannot_be_used_without_calling_anything()
      throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    ObjectNode manifest = Runs.JSON.createObjectNode().put("name", "no endpoint");
    queue.addRun(Runs.context(RUN.value(), manifest));
    TaskId task = queue.addTask(RUN, Runs.row(1));
    GatedCaller caller = new GatedCaller();

    firstWrittenInOneCycle(clock, caller);

    assertThat(caller.noneStarted()).isTrue();
    assertThat(queue.history(task).getFirst())
        .isInstanceOfSatisfying(
            AttemptOutcome.Failed.class,
            failed -> {
              assertThat(failed.errorCode()).isEqualTo("MANIFEST_INVALID");
              assertThat(failed.message()).contains("inference_endpoint");
            });
  }

  @Test
  void gives_up_a_row_whose_leases_kept_lapsing_without_calling_it_again() throws Exception {
    MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    queue.addRun(Runs.context(RUN.value(), Runs.manifest(URI.create("http://127.0.0.1:9/p"))));
    TaskId lapsing = queue.addTask(RUN, Runs.row(1));
    TaskId lapsedLess = queue.addTask(RUN, Runs.row(2));
    // Workers that died mid-call: 15 lapses of the first row (the max of 5 attempts and the 10
    // lapses allowed past it), 14 of the second.
    for (int lapse = 1; lapse <= 15; lapse++) {
      queue.claim(
          Runs.MODEL, lapse < 15 ? 2 : 1, 8, "dead-node", Duration.ofMinutes(1), clock.instant());
      clock.advance(Duration.ofMinutes(2));
      queue.requeueExpired(clock.instant());
    }
    GatedCaller caller = new GatedCaller();

    firstWrittenInOneCycle(clock, caller);

    assertThat(caller.nextStarted().attempt()).isEqualTo(15);
    assertThat(caller.noneStarted()).isTrue();
    assertThat(queue.state(lapsing)).isEqualTo(TaskState.FAILED);
    assertThat(queue.history(lapsing).getLast())
        .isInstanceOfSatisfying(
            AttemptOutcome.Failed.class,
            failed -> {
              assertThat(failed.errorCode()).isEqualTo("LEASE_LAPSED_REPEATEDLY");
              assertThat(failed.message()).contains("15 attempts were made (5 allowed");
            });
    assertThat(queue.state(lapsedLess)).isEqualTo(TaskState.LEASED);
  }

  @Test
  void reads_a_run_context_once_however_many_tasks_the_run_has() throws Exception {
    FakeEndpoint endpoint = endpoint(FakeEndpoint.always(Reply.json(RESPONSE)));
    addRun(endpoint.uri(), 30, manifest -> {});
    CountDownLatch done = terminalLatch(30);
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.addListener(countTerminal(done));

    dispatcher.start();

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(queue.contextReads()).isEqualTo(1);
    assertThat(queue.completeCalls()).isLessThan(30);
  }

  @Test
  void close_lets_calls_in_flight_finish_writes_them_and_claims_nothing_more() throws Exception {
    FakeEndpoint endpoint =
        endpoint(FakeEndpoint.always(Reply.json(RESPONSE).after(Duration.ofMillis(300))));
    List<TaskId> tasks = addRun(endpoint.uri(), 6, manifest -> manifest.put("max_concurrency", 4));
    Dispatcher dispatcher = realTimeDispatcher("node-a");
    dispatcher.start();
    assertThat(endpoint.awaitRequests(4, Duration.ofSeconds(5))).isTrue();

    dispatcher.close();

    assertThat(tasks).filteredOn(task -> queue.state(task) == TaskState.SUCCEEDED).hasSize(4);
    assertThat(tasks).filteredOn(task -> queue.state(task) == TaskState.QUEUED).hasSize(2);
    assertThat(endpoint.requests()).hasSize(4);
    assertThat(dispatcher.inFlight()).isEmpty();
  }

  @Test
  void close_gives_a_grace_period_shorter_than_the_poll_interval_in_full() throws Exception {
    FakeEndpoint endpoint =
        endpoint(FakeEndpoint.always(Reply.json(RESPONSE).after(Duration.ofMillis(300))));
    List<TaskId> tasks = addRun(endpoint.uri(), 2, manifest -> {});
    Clock clock = Clock.systemUTC();
    Dispatcher dispatcher =
        dispatcher(
            "node-a",
            clock,
            realCaller(clock),
            Sleeper.system(),
            DispatcherConfig.defaults("node-a")
                .withPollInterval(Duration.ofSeconds(10))
                .withShutdownGrace(Duration.ofSeconds(5)),
            new InMemoryRateLimiter(clock));
    dispatcher.start();
    assertThat(endpoint.awaitRequests(2, Duration.ofSeconds(5))).isTrue();

    dispatcher.close();

    assertThat(tasks)
        .allSatisfy(task -> assertThat(queue.state(task)).isEqualTo(TaskState.SUCCEEDED));
    assertThat(dispatcher.inFlight()).isEmpty();
  }

  @Test
  void close_gives_up_on_calls_past_the_grace_period_and_leaves_their_leases_to_lapse()
      throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    FakeEndpoint endpoint =
        endpoint(FakeEndpoint.always(new Reply.Hold(never, Reply.json(RESPONSE))));
    TaskId task = addRun(endpoint.uri(), 1, manifest -> {}).getFirst();
    Dispatcher dispatcher =
        dispatcher(
            "node-a",
            Clock.systemUTC(),
            realCaller(Clock.systemUTC()),
            Sleeper.system(),
            realTimeConfig("node-a").withShutdownGrace(Duration.ZERO),
            new InMemoryRateLimiter(Clock.systemUTC()));
    dispatcher.start();
    assertThat(endpoint.awaitRequests(1, Duration.ofSeconds(5))).isTrue();
    long started = System.nanoTime();

    dispatcher.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(queue.state(task)).isEqualTo(TaskState.LEASED);
    assertThat(queue.history(task)).isEmpty();
    assertThat(dispatcher.inFlight()).isEmpty();
  }

  private FakeEndpoint endpoint(FakeEndpoint.Script script) {
    FakeEndpoint endpoint = FakeEndpoint.start(script);
    resources.add(endpoint);
    return endpoint;
  }

  private List<TaskId> addRun(URI endpoint, int rows, Consumer<ObjectNode> manifestChanges) {
    ObjectNode manifest = Runs.manifest(endpoint);
    manifestChanges.accept(manifest);
    queue.addRun(Runs.context(RUN.value(), manifest));
    List<TaskId> tasks = new ArrayList<>();
    for (int row = 1; row <= rows; row++) {
      tasks.add(queue.addTask(RUN, Runs.row(row)));
    }
    return tasks;
  }

  /** Runs one stepped cycle on node-a and waits for the first completion it writes. */
  private Completion firstWrittenInOneCycle(MutableClock clock, GatedCaller caller)
      throws InterruptedException {
    Dispatcher dispatcher = steppedDispatcher("node-a", clock, caller, new RecordingSleeper());
    FirstWritten written = new FirstWritten();
    dispatcher.addListener(written);
    dispatcher.runOnce();
    return written.await();
  }

  private static CountDownLatch terminalLatch(int tasks) {
    return new CountDownLatch(tasks);
  }

  private static CompletionListener countTerminal(CountDownLatch latch) {
    return (completion, applied) -> {
      if (applied && !(completion.outcome() instanceof AttemptOutcome.RetryLater)) {
        latch.countDown();
      }
    };
  }

  private static DispatcherConfig realTimeConfig(String owner) {
    return DispatcherConfig.defaults(owner).withPollInterval(Duration.ofMillis(20));
  }

  private TaskCaller realCaller(Clock clock) {
    RetryPolicy fast =
        new RetryPolicy(
            new SplittableRandom(5),
            Duration.ofMillis(5),
            Duration.ofMillis(40),
            Duration.ofSeconds(1));
    return new EndpointTaskCaller(
        client, new KeepWholeResponse(), fast, new InMemoryRateLimiter(clock), clock);
  }

  private Dispatcher realTimeDispatcher(String owner) {
    Clock clock = Clock.systemUTC();
    return dispatcher(
        owner,
        clock,
        realCaller(clock),
        Sleeper.system(),
        realTimeConfig(owner),
        new InMemoryRateLimiter(clock));
  }

  private Dispatcher steppedDispatcher(
      String owner, MutableClock clock, TaskCaller caller, RecordingSleeper sleeper) {
    return steppedDispatcher(
        owner, clock, caller, sleeper, steppedConfig(owner), new InMemoryRateLimiter(clock));
  }

  /** No grace on close: calls a test left at a gate are given up at once. */
  private static DispatcherConfig steppedConfig(String owner) {
    return DispatcherConfig.defaults(owner).withShutdownGrace(Duration.ZERO);
  }

  private Dispatcher steppedDispatcher(
      String owner,
      MutableClock clock,
      TaskCaller caller,
      Sleeper sleeper,
      DispatcherConfig config,
      RateLimiter limiter) {
    return dispatcher(owner, clock, caller, sleeper, config, limiter);
  }

  private Dispatcher dispatcher(
      String owner,
      Clock clock,
      TaskCaller caller,
      Sleeper sleeper,
      DispatcherConfig config,
      RateLimiter limiter) {
    Dispatcher dispatcher = new Dispatcher(queue, limiter, caller, clock, sleeper, config);
    resources.add(dispatcher);
    return dispatcher;
  }

  /**
   * Records every wait it is asked for and moves the clock past it, the first one {@code late}
   * further: a thread that woke late.
   */
  static final class LateSleeper implements Sleeper {
    private final MutableClock clock;
    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final AtomicInteger slept = new AtomicInteger();
    private final Duration late;

    LateSleeper(MutableClock clock, Duration late) {
      this.clock = clock;
      this.late = late;
    }

    @Override
    public void sleep(Duration duration) {
      delays.add(duration);
      clock.advance(slept.getAndIncrement() == 0 ? duration.plus(late) : duration);
    }

    List<Duration> delays() {
      return List.copyOf(delays);
    }
  }

  /** The first completion a dispatcher writes. */
  static final class FirstWritten implements CompletionListener {
    private final List<Completion> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);

    @Override
    public void completed(Completion completion, boolean applied) {
      written.add(completion);
      first.countDown();
    }

    /** Waits up to five seconds for it. */
    Completion await() throws InterruptedException {
      assertThat(first.await(5, TimeUnit.SECONDS)).as("a completion written").isTrue();
      return written.getFirst();
    }
  }

  /** A limiter whose schedule other nodes share, handing out scripted delays in turn. */
  static final class SharedLimiter implements RateLimiter {
    private final List<List<Duration>> answers;
    private final List<Integer> asked = new CopyOnWriteArrayList<>();

    private final boolean awayAfterwards;

    SharedLimiter(List<List<Duration>> answers) {
      this(answers, false);
    }

    private SharedLimiter(List<List<Duration>> answers, boolean awayAfterwards) {
      this.answers = List.copyOf(answers);
      this.awayAfterwards = awayAfterwards;
    }

    /** Hands out {@code answers}, then fails every reservation: its database is away. */
    static SharedLimiter awayAfter(List<List<Duration>> answers) {
      return new SharedLimiter(answers, true);
    }

    @Override
    public List<Duration> reserve(
        ModelId model, double requestsPerSecond, int wanted, Duration horizon) {
      asked.add(wanted);
      if (asked.size() <= answers.size()) {
        return answers.get(asked.size() - 1);
      }
      if (awayAfterwards) {
        throw new IllegalStateException("the database is away");
      }
      return List.of();
    }

    @Override
    public void release(ModelId model, int unused) {}

    @Override
    public void holdFor(ModelId model, Duration delay) {}

    @Override
    public boolean sharedAcrossNodes() {
      return true;
    }

    List<Integer> asked() {
      return List.copyOf(asked);
    }
  }

  /** Records every wait it is asked for and returns at once. */
  static final class RecordingSleeper implements Sleeper {
    private final List<Duration> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      delays.add(duration);
    }

    List<Duration> delays() {
      return List.copyOf(delays);
    }
  }
}
