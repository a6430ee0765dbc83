package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import org.openfoundry.dispatch.KeepWholeResponse;
import org.openfoundry.models.Model;
import org.openfoundry.paging.PageRequest;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.runs.TaskView;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.store.DatabaseConfig;

/**
 * One model's hostile endpoint (silent, a body that never ends, a one-byte drip) costs the other
 * models of the node nothing: their runs go on at their own pace while every hostile call waits for
 * its own timeouts.
 */
class HostileNeighbourTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final int HOSTILE_ROWS = 6;
  private static final int HEALTHY_ROWS = 60;
  private static final String LONG_ANSWER = "{\"summary\": \"" + "a".repeat(10_000) + "\"}";

  @TempDir Path folder;

  @Test
  void a_healthy_models_run_finishes_while_a_hostile_models_calls_still_wait_for_their_timeouts() {
    CountDownLatch never = new CountDownLatch(1);
    try (FakeEndpoint hostile =
            FakeEndpoint.start(
                request ->
                    switch (request.index() % 3) {
                      case 0 -> new Reply.Hold(never, Reply.status(200));
                      case 1 -> new Reply.Endless(Duration.ofMillis(50));
                      default -> new Reply.Drip(LONG_ANSWER, 1, Duration.ofMillis(200));
                    });
        FakeEndpoint healthy =
            FakeEndpoint.answering(
                new Reply.Respond(
                    200,
                    Map.of("Content-Type", "application/json"),
                    "{\"person\": {\"boxes\": [[1, 2, 30, 40]]}}",
                    Duration.ofMillis(5)));
        EngineNode node = open()) {
      Run hostileRun =
          run(node, "hostile", hostile, "max_concurrency: " + HOSTILE_ROWS, HOSTILE_ROWS);
      Run healthyRun = run(node, "healthy", healthy, "max_concurrency: 4", HEALTHY_ROWS);

      node.start();
      EngineFixture.await(
          "every hostile call to start", WITHIN, () -> hostile.requests().size() == HOSTILE_ROWS);
      Run healthyDone =
          EngineFixture.awaitValue(
              "the healthy run to finish",
              WITHIN,
              () ->
                  node.store()
                      .runs()
                      .get(healthyRun.id())
                      .filter(current -> current.state().isFinished()));
      Run hostileNow = node.store().runs().get(hostileRun.id()).orElseThrow();
      List<TaskView> hostileTasks =
          node.store()
              .runs()
              .tasks(hostileRun.id(), Optional.empty(), PageRequest.first(HOSTILE_ROWS))
              .items();

      assertThat(healthyDone.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(healthyDone.counts()).isEqualTo(new TaskCounts(0, 0, HEALTHY_ROWS, 0, 0));
      assertThat(hostileNow.counts())
          .as("no hostile call has reached a timeout yet")
          .isEqualTo(new TaskCounts(0, HOSTILE_ROWS, 0, 0, 0));
      assertThat(hostileTasks)
          .allSatisfy(task -> assertThat(node.store().runs().attempts(task.id())).isEmpty());
      assertThat(hostile.requests()).hasSize(HOSTILE_ROWS);
    }
  }

  private EngineNode open() {
    return EngineNode.open(
        new EngineConfig(
            DatabaseConfig.sqlite(folder.resolve("foundry.db")),
            new MasterKeySource.Given(MasterKey.generate(new SecureRandom())),
            DispatcherConfig.defaults("node-neighbours")
                .withPollInterval(Duration.ofMillis(50))
                .withShutdownGrace(Duration.ZERO),
            EndpointClientConfig.defaults(),
            new KeepWholeResponse()),
        Clock.systemUTC());
  }

  /**
   * A run over {@code rows} rows of a model whose timeouts outlast the test: read 2 minutes, total
   * 5 minutes.
   */
  private static Run run(
      EngineNode node, String name, FakeEndpoint endpoint, String settings, int rows) {
    Model model =
        EngineFixture.model(
            node.store(),
            """
            name: %s detector
            inference_endpoint: %s
            %s
            timeouts: {read: 2m, total: 5m}
            ontology:
              media_type: IMAGE
              tools:
                - {name: person, tool: rectangle}
            """
                .formatted(name, endpoint.uri(), settings),
            Optional.empty());
    return EngineFixture.run(
        node.store(), model, EngineFixture.dataset(node.store(), name, rows), List.of("person"));
  }
}
