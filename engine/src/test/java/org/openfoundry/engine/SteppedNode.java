package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openfoundry.adapters.AdapterEnvironment;
import org.openfoundry.adapters.AdapterRegistry;
import org.openfoundry.chat.ConversationLimits;
import org.openfoundry.dispatch.AdapterTaskCaller;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.Dispatcher;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.EndpointClientImages;
import org.openfoundry.dispatch.EndpointTaskCaller;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.KeepWholeResponse;
import org.openfoundry.dispatch.MutableClock;
import org.openfoundry.dispatch.RetryPolicy;
import org.openfoundry.models.Model;
import org.openfoundry.ratelimit.InMemoryRateLimiter;
import org.openfoundry.runs.Run;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;
import org.openfoundry.time.Sleeper;

/**
 * One engine node wired as in production (SQLite store, dispatcher, endpoint client, adapter and
 * wire-contract callers, the standard retry policy) whose clock only the test moves: cycles run one
 * at a time, a retry's backoff and a 429's hold pass by stepping the clock, and the dispatcher's
 * waits for a start slot move the clock on instead of sleeping. Only the network runs in real time.
 */
final class SteppedNode implements AutoCloseable {
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final int MAX_CYCLES = 10_000;

  final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
  final Store store;
  private final EndpointClient client;
  private final Dispatcher dispatcher;
  private final BlockingQueue<Completion> written = new LinkedBlockingQueue<>();
  private final List<Completion> completions = new CopyOnWriteArrayList<>();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

  SteppedNode(Path folder) {
    SecureRandom random = new SecureRandom();
    store =
        Store.open(
            DatabaseConfig.sqlite(folder.resolve("foundry.db")),
            new SecretBox(MasterKey.generate(random), random),
            clock);
    client = new EndpointClient(EndpointClientConfig.defaults(), Clock.systemUTC());
    client.start();
    InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);
    RetryPolicy retries = RetryPolicy.standard(new SplittableRandom(20_260_301));
    EndpointTaskCaller wireContract =
        new EndpointTaskCaller(client, new KeepWholeResponse(), retries, limiter, clock);
    AdapterRegistry adapters =
        new AdapterRegistry(
            new AdapterEnvironment(
                clock,
                Sleeper.system(),
                new EndpointClientImages(client, EndpointClientImages.TIMEOUTS),
                ConversationLimits.defaults().maxImageBytes()));
    AdapterTaskCaller caller =
        new AdapterTaskCaller(
            adapters, client, wireContract, new KeepWholeResponse(), retries, limiter, clock);
    dispatcher =
        new Dispatcher(
            store.tasks(),
            limiter,
            caller,
            clock,
            new ClockSleeper(clock),
            DispatcherConfig.defaults("node-stepped").withShutdownGrace(Duration.ZERO));
    dispatcher.addListener(
        (completion, applied) -> {
          if (applied) {
            completions.add(completion);
            written.add(completion);
          }
        });
  }

  /**
   * A fake endpoint on a free port that notes, on the stepped clock, when each request reached it.
   */
  FakeEndpoint endpoint(FakeEndpoint.Script script) {
    return FakeEndpoint.start(
        request -> {
          arrivals.add(
              new Arrival(
                  request.header("Idempotency-Key"),
                  Integer.parseInt(request.header("OpenFoundry-Attempt")),
                  clock.instant()));
          return script.reply(request);
        });
  }

  /** When each request reached the endpoint, on the stepped clock, in the order they came. */
  List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /**
   * Checks that no retry reached the endpoint before the time its failed attempt was given, which
   * only the dispatcher's claims could break: the clock stands still unless the test moves it.
   */
  void assertBackoffHonoured() {
    int retries = 0;
    for (Completion completion : completions) {
      if (completion.outcome() instanceof AttemptOutcome.RetryLater retry) {
        String task = completion.task().id().value();
        int next = completion.task().attempt() + 1;
        for (Arrival arrival : arrivals) {
          if (arrival.task().equals(task) && arrival.attempt() == next) {
            assertThat(arrival.at())
                .as("attempt %d of task %s", next, task)
                .isAfterOrEqualTo(retry.availableAt());
            retries++;
          }
        }
      }
    }
    assertThat(retries).as("retries that reached the endpoint").isPositive();
  }

  /** A request as it reached the endpoint: its task, attempt and time on the stepped clock. */
  record Arrival(String task, int attempt, Instant at) {}

  Model model(String yaml) {
    return EngineFixture.model(store, yaml, Optional.of("fault-secret"));
  }

  /**
   * A run of the model over a new dataset of {@code rows} rows keyed {@code <prefix>-<n>.jpg}, with
   * the one feature {@code person}.
   */
  Run run(Model model, String prefix, int rows) {
    return EngineFixture.run(
        store, model, EngineFixture.dataset(store, prefix, rows), List.of("person"));
  }

  /**
   * Runs cycles until the run has finished: after each cycle it waits for the calls it started to
   * be written; when a cycle starts nothing it moves the clock to the earliest retry due, or by a
   * second when only a hold is left.
   */
  void runToEnd(Run run) throws InterruptedException {
    List<Instant> due = new ArrayList<>();
    for (int cycle = 0; cycle < MAX_CYCLES; cycle++) {
      if (store.runs().get(run.id()).orElseThrow().state().isFinished()) {
        return;
      }
      int claimed = dispatcher.runOnce().claimed();
      for (int call = 0; call < claimed; call++) {
        Completion completion = written.poll(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(completion)
            .as("a call the dispatcher started, written within " + WITHIN)
            .isNotNull();
        if (completion.outcome() instanceof AttemptOutcome.RetryLater retry) {
          due.add(retry.availableAt());
        }
      }
      if (claimed == 0) {
        Instant now = clock.instant();
        due.removeIf(at -> !at.isAfter(now));
        clock.set(due.stream().min(Instant::compareTo).orElse(now.plusSeconds(1)));
      }
    }
    throw new AssertionError("the run did not finish within " + MAX_CYCLES + " cycles");
  }

  /** Every attempt written, in the order the dispatcher wrote them. */
  List<Completion> completions() {
    return List.copyOf(completions);
  }

  @Override
  public void close() {
    try {
      dispatcher.close();
    } finally {
      client.close();
      store.close();
    }
  }

  /** Waiting for a start slot moves the stepped clock on to the slot instead of sleeping. */
  private record ClockSleeper(MutableClock clock) implements Sleeper {
    @Override
    public void sleep(Duration duration) {
      Instant until = clock.instant().plus(duration);
      synchronized (clock) {
        if (until.isAfter(clock.instant())) {
          clock.set(until);
        }
      }
    }
  }
}
