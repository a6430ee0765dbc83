package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.models.Model;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;

/**
 * Stops PostgreSQL the way a crash does ({@code pg_ctl stop -m immediate}) in the middle of a run a
 * worker process is working, starts it again, and checks that the worker logged the outage, stayed
 * up, reconnected by itself and finished the run with exactly one result per row, none of the
 * results stored before the outage changed. Runs on a cluster of its own (see {@link
 * PrivatePostgres}).
 */
@Timeout(300)
class PostgresRestartTest {
  private static final long SEED = 0x0DB_2026L;
  private static final int ROWS = 1_000;
  private static final Duration WITHIN = Duration.ofSeconds(120);

  @TempDir Path folder;

  @Test
  void a_run_completes_exactly_once_when_postgresql_restarts_in_the_middle() {
    Path keyFile = folder.resolve("master.key");
    MasterKey key = MasterKey.fromFile(keyFile);
    try (PrivatePostgres postgres = PrivatePostgres.start();
        FakeEndpoint endpoint =
            FakeEndpoint.start(
                TaskNamingModel.answers(SEED, Duration.ofMillis(5), Duration.ofMillis(15)));
        Store store =
            Store.open(
                new DatabaseConfig(
                    postgres.url(),
                    Optional.of(PrivatePostgres.USER),
                    Optional.empty(),
                    2,
                    Duration.ofSeconds(5)),
                new SecretBox(key, new SecureRandom()),
                Clock.systemUTC())) {
      Model model =
          EngineFixture.model(
              store,
              TaskNamingModel.manifest("restart test detector", endpoint.uri().toString(), 8),
              Optional.empty());
      Run run =
          EngineFixture.run(
              store, model, EngineFixture.dataset(store, "restart", ROWS), List.of("person"));
      RunTables tables = new RunTables(postgres.url(), PrivatePostgres.USER, run.id());
      List<String> arguments =
          List.of(
              "--db",
              postgres.url(),
              "--db-user",
              PrivatePostgres.USER,
              "--master-key-file",
              keyFile.toString(),
              "--lease",
              "3s",
              "--poll",
              "100ms");
      Map<String, String> before;
      long outageNanos;
      long failedAfterNanos;
      long reconnectNanos;
      List<String> logged;
      try (WorkerProcess worker = WorkerProcess.start("pg-restart", arguments, Map.of(), folder)) {
        awaitAlive(worker, "a third of the results", () -> tables.results() >= ROWS / 3);
        before = tables.snapshot();

        long stopped = System.nanoTime();
        postgres.stopImmediately();
        // What an API request meets meanwhile: a wait for a connection, then a typed error.
        assertThatThrownBy(() -> store.runs().get(run.id()))
            .isInstanceOfSatisfying(
                FoundryException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                  assertThat(e.getMessage()).startsWith("database error: ");
                });
        failedAfterNanos = System.nanoTime() - stopped;
        awaitAlive(
            worker,
            "the worker to log that the database failed",
            () -> worker.output().contains("a dispatch cycle failed"));
        postgres.startAgain();
        long started = System.nanoTime();
        outageNanos = started - stopped;
        long stored = tables.results();
        awaitAlive(worker, "a result stored after the restart", () -> tables.results() > stored);
        reconnectNanos = System.nanoTime() - started;

        awaitAlive(
            worker,
            "the run to finish",
            () -> store.runs().get(run.id()).orElseThrow().state().isFinished());
        assertThat(worker.isAlive()).as("the worker outlived the outage").isTrue();
        logged = worker.output().lines().filter(line -> line.contains(" WARN ")).toList();
        worker.stop();
      }

      Run finished = store.runs().get(run.id()).orElseThrow();
      assertThat(finished.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(finished.counts()).isEqualTo(new TaskCounts(0, 0, ROWS, 0, 0));
      assertThat(tables.tasksByState()).isEqualTo(Map.of("SUCCEEDED", (long) ROWS));
      assertThat(tables.resultsTasksAndRows()).containsExactly(ROWS, ROWS, ROWS);
      Map<String, String> after = tables.snapshot();
      before.forEach(
          (task, stored) ->
              assertThat(after.get(task))
                  .as("the stored result of task %s", task)
                  .isEqualTo(stored));
      System.out.printf(
          "%d rows, PostgreSQL stopped after %d results: a read failed after %.1f s, down %.1f s"
              + " (until the worker logged the failure too), first result %.2f s after it was"
              + " back; %d requests to the endpoint, attempts %s%n",
          ROWS,
          before.size(),
          failedAfterNanos / 1e9,
          outageNanos / 1e9,
          reconnectNanos / 1e9,
          endpoint.requests().size(),
          tables.attemptsByResult());
      System.out.printf(
          "the worker logged %d warnings, the first:%n  %s%n",
          logged.size(), String.join("\n  ", logged.subList(0, Math.min(3, logged.size()))));
    }
  }

  private static void awaitAlive(WorkerProcess worker, String what, BooleanSupplier condition) {
    EngineFixture.await(
        what + "; the worker said:\n" + worker.output(),
        WITHIN,
        () -> {
          if (!worker.isAlive()) {
            throw new AssertionError("the worker ended on its own:\n" + worker.output());
          }
          return condition.getAsBoolean();
        });
  }
}
