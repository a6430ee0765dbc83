package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.models.Model;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;

/**
 * Two worker processes on one PostgreSQL share a run: no task is in flight on both, every row ends
 * with one result, and the model's rate limit holds across both, as measured at the endpoint.
 */
class ManyNodesTest {
  private static final long SEED = 0x2_0DE5L;
  private static final int ROWS = 200;
  private static final double RATE = 20;
  private static final Duration WITHIN = Duration.ofSeconds(90);

  @TempDir Path folder;

  /** One request as the endpoint saw it arrive, and how long it was kept waiting. */
  private record Arrival(String key, String attempt, long nanos, Duration latency) {
    long endNanos() {
      return nanos + latency.toNanos();
    }
  }

  @Test
  void two_workers_share_the_queue_and_one_global_rate_limit() {
    Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    Path keyFile = folder.resolve("master.key");
    MasterKey key = MasterKey.fromFile(keyFile);
    try (PostgresSchema schema = PostgresSchema.create("many_nodes");
        FakeEndpoint endpoint = FakeEndpoint.start(recording(arrivals));
        Store store =
            Store.open(
                new DatabaseConfig(
                    schema.url(),
                    Optional.of(PostgresSchema.USER),
                    Optional.empty(),
                    4,
                    Duration.ofSeconds(5)),
                new SecretBox(key, new SecureRandom()),
                Clock.systemUTC())) {
      Model model = EngineFixture.model(store, manifest(endpoint), Optional.of("shared-secret"));
      Dataset dataset = EngineFixture.dataset(store, "shared", ROWS);
      List<String> arguments =
          List.of(
              "--db",
              schema.url(),
              "--db-user",
              PostgresSchema.USER,
              "--master-key-file",
              keyFile.toString(),
              "--lease",
              "10s",
              "--poll",
              "100ms");

      Run run;
      try (WorkerProcess first = WorkerProcess.start("node-a", arguments, Map.of(), folder);
          WorkerProcess second = WorkerProcess.start("node-b", arguments, Map.of(), folder)) {
        // The run is queued once both nodes claim: a node that started first could otherwise take
        // the whole run before the other one is up.
        EngineFixture.await(
            "both workers to start; they said:\n" + first.output() + second.output(),
            WITHIN,
            () -> first.hasStarted() && second.hasStarted());
        run = EngineFixture.run(store, model, dataset, List.of("person"));
        EngineFixture.await(
            "the run to finish; the workers said:\n" + first.output() + second.output(),
            WITHIN,
            () -> store.runs().get(run.id()).orElseThrow().state().isFinished());
        first.stop();
        second.stop();
      }

      Run finished = store.runs().get(run.id()).orElseThrow();
      assertThat(finished.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(finished.counts()).isEqualTo(new TaskCounts(0, 0, ROWS, 0, 0));
      RunTables tables = new RunTables(schema.url(), PostgresSchema.USER, run.id());
      assertThat(tables.tasksByState()).isEqualTo(Map.of("SUCCEEDED", (long) ROWS));
      assertThat(tables.resultsTasksAndRows()).containsExactly(ROWS, ROWS, ROWS);
      Map<String, Long> byOwner = tables.successesByOwner();
      assertThat(byOwner.keySet()).containsExactlyInAnyOrder("node-a", "node-b");

      List<Arrival> sorted =
          arrivals.stream().sorted(Comparator.comparingLong(Arrival::nanos)).toList();
      Map<String, List<Arrival>> byKey =
          sorted.stream().collect(Collectors.groupingBy(Arrival::key));
      assertThat(byKey).hasSize(ROWS);
      byKey.forEach(
          (task, calls) -> {
            for (int index = 1; index < calls.size(); index++) {
              assertThat(calls.get(index).nanos())
                  .as("task %s called again while its call was in flight", task)
                  .isGreaterThanOrEqualTo(calls.get(index - 1).endNanos());
            }
            assertThat(calls).extracting(Arrival::attempt).doesNotHaveDuplicates();
          });

      // Measured from the first request a second into the run: a worker's very first calls wait
      // for its HTTP client to warm up and then leave together, which says nothing of the limit.
      List<Arrival> measured =
          sorted.stream()
              .filter(arrival -> arrival.nanos() - sorted.getFirst().nanos() >= 1_000_000_000L)
              .toList();
      double seconds = (measured.getLast().nanos() - measured.getFirst().nanos()) / 1e9;
      double achieved = (measured.size() - 1) / seconds;
      System.out.printf(
          "%d requests over %.2f s from %s, after the first second: %.2f requests/s for a limit of"
              + " %.0f%n",
          measured.size(), seconds, byOwner, achieved, RATE);
      // The shared limit must hold: never more than 5% above it. Falling short of it is a matter of
      // speed on a busy machine, which the load harness measures (docs/performance.md, two
      // processes on PostgreSQL); here the two nodes only have to keep roughly to the pace.
      assertThat(achieved).isLessThanOrEqualTo(RATE * 1.05).isGreaterThanOrEqualTo(RATE * 0.75);
    }
  }

  /** Answers after 20 to 60 ms and notes when each request arrived. */
  private static FakeEndpoint.Script recording(Queue<Arrival> arrivals) {
    return request -> {
      long now = System.nanoTime();
      Duration latency =
          Duration.ofMillis(20 + new SplittableRandom(SEED ^ request.index()).nextInt(41));
      arrivals.add(
          new Arrival(
              request.header("Idempotency-Key"),
              request.header("OpenFoundry-Attempt"),
              now,
              latency));
      return new FakeEndpoint.Reply.Respond(
          200,
          Map.of("Content-Type", "application/json"),
          "{\"person\": {\"boxes\": [[0, 0, 10, 10]]}}",
          latency);
    };
  }

  /**
   * A cap above what the rate lets the dispatchers reserve ahead (20/s over a 2 s horizon): with a
   * cap that binds, the node whose written completions free room claims it again first, and can
   * keep the whole cap to itself while the other finds none.
   */
  private static String manifest(FakeEndpoint endpoint) {
    return """
        name: shared detector
        inference_endpoint: %s
        requests_per_second: %s
        max_concurrency: 64
        ontology:
          media_type: IMAGE
          tools:
            - {name: person, tool: rectangle}
        """
        .formatted(endpoint.uri(), RATE);
  }
}
