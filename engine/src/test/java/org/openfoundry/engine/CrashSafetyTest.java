package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.models.Model;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;

/**
 * Kills a worker process with SIGKILL at seeded random points of a run, on a SQLite file and on
 * PostgreSQL, restarts it each time, and checks that every data row ends with exactly one result
 * that was never rewritten once stored. {@code -Dfoundry.crash.kills=<n>} kills more often (six by
 * default).
 */
class CrashSafetyTest {
  private static final long SEED = 0x0F0A_2026L;
  private static final int ROWS = 400;
  private static final int KILLS = Integer.getInteger("foundry.crash.kills", 6);
  private static final Duration WITHIN = Duration.ofSeconds(90);

  @TempDir Path folder;

  @Test
  void every_row_gets_exactly_one_result_however_often_the_worker_is_killed_on_sqlite() {
    Path database = folder.resolve("foundry.db");
    killAndRestart(
        DatabaseConfig.sqlite(database),
        new RunTablesAt("jdbc:sqlite:" + database, ""),
        List.of("--db", "jdbc:sqlite:" + database));
  }

  @Test
  void every_row_gets_exactly_one_result_however_often_the_worker_is_killed_on_postgresql() {
    try (PostgresSchema schema = PostgresSchema.create("crash")) {
      killAndRestart(
          new DatabaseConfig(
              schema.url(),
              Optional.of(PostgresSchema.USER),
              Optional.empty(),
              4,
              Duration.ofSeconds(5)),
          new RunTablesAt(schema.url(), PostgresSchema.USER),
          List.of("--db", schema.url(), "--db-user", PostgresSchema.USER));
    }
  }

  /** Where the test reads the run's tables itself. */
  private record RunTablesAt(String url, String user) {}

  private void killAndRestart(
      DatabaseConfig database, RunTablesAt tablesAt, List<String> databaseArguments) {
    SplittableRandom random = new SplittableRandom(SEED);
    Path keyFile = folder.resolve("master.key");
    MasterKey key = MasterKey.fromFile(keyFile);
    try (FakeEndpoint endpoint =
            FakeEndpoint.start(
                TaskNamingModel.answers(SEED, Duration.ofMillis(5), Duration.ofMillis(35)));
        Store store =
            Store.open(database, new SecretBox(key, new SecureRandom()), Clock.systemUTC())) {
      Model model =
          EngineFixture.model(
              store,
              TaskNamingModel.manifest("crash test detector", endpoint.uri().toString(), 4),
              Optional.of("crash-secret"));
      Run run =
          EngineFixture.run(
              store, model, EngineFixture.dataset(store, "crash", ROWS), List.of("person"));
      RunTables tables = new RunTables(tablesAt.url(), tablesAt.user(), run.id());
      List<String> arguments = new ArrayList<>(databaseArguments);
      arguments.addAll(
          List.of("--master-key-file", keyFile.toString(), "--lease", "2s", "--poll", "100ms"));
      Map<String, String> firstWritten = new HashMap<>();

      for (int kill = 1; kill <= KILLS; kill++) {
        long target = Math.min(ROWS - 1, tables.results() + 10 + random.nextInt(40));
        try (WorkerProcess worker =
            WorkerProcess.start("crash-" + kill, arguments, Map.of(), folder)) {
          awaitResults(worker, tables, target);
          worker.kill();
        }
        assertUnchanged(tables.snapshot(), firstWritten);
      }
      try (WorkerProcess last = WorkerProcess.start("crash-last", arguments, Map.of(), folder)) {
        EngineFixture.await(
            "the run to finish; the worker said:\n" + last.output(),
            WITHIN,
            () -> store.runs().get(run.id()).orElseThrow().state().isFinished());
        last.stop();
      }

      assertUnchanged(tables.snapshot(), firstWritten);
      Run finished = store.runs().get(run.id()).orElseThrow();
      assertThat(finished.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(finished.counts()).isEqualTo(new TaskCounts(0, 0, ROWS, 0, 0));
      assertThat(tables.tasksByState()).isEqualTo(Map.of("SUCCEEDED", (long) ROWS));
      assertThat(tables.tasksAndRows()).containsExactly(ROWS, ROWS);
      assertThat(tables.resultsTasksAndRows()).containsExactly(ROWS, ROWS, ROWS);
      assertThat(firstWritten).hasSize(ROWS);
      try (Stream<RunResult> results = store.runs().results(run.id())) {
        assertThat(results)
            .allSatisfy(
                result ->
                    assertThat(result.predictions().path("key").stringValue())
                        .isEqualTo(result.taskId().value()));
      }
      // The kills did land on calls in flight: their leases lapsed and were taken again.
      Map<String, Long> attempts = tables.attemptsByResult();
      assertThat(attempts).containsKey("LEASE_EXPIRED");
      assertThat(attempts.get("SUCCEEDED")).isEqualTo(ROWS);
      System.out.printf(
          "%d rows, %d kills: %d requests to the endpoint, attempts %s%n",
          ROWS, KILLS, endpoint.requests().size(), attempts);
    }
  }

  private static void awaitResults(WorkerProcess worker, RunTables tables, long target) {
    EngineFixture.await(
        target + " results from worker " + worker.owner(),
        WITHIN,
        () -> {
          if (!worker.isAlive()) {
            throw new AssertionError(
                "worker " + worker.owner() + " ended on its own:\n" + worker.output());
          }
          return tables.results() >= target;
        });
  }

  /** Every result seen before is still as it was first written; new ones are remembered. */
  private static void assertUnchanged(Map<String, String> now, Map<String, String> firstWritten) {
    firstWritten.forEach(
        (task, written) ->
            assertThat(now.get(task)).as("the stored result of task %s", task).isEqualTo(written));
    now.forEach(firstWritten::putIfAbsent);
  }
}
