package org.openfoundry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.GeneratedImageRows;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.dispatch.AttemptOutcome;
import org.openfoundry.dispatch.Completion;
import org.openfoundry.dispatch.LeasedTask;
import org.openfoundry.models.Model;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskCounts;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the store holds up at scale (SQLite, or PostgreSQL on request): a worker loop against an
 * instant endpoint (claim a batch, complete it) over 100,000 and 1,000,000 tasks. Slow, so only run
 * on request: {@code ./build -B -pl core,engine -am test -Dtest=StoreScaleTest -Dfoundry.scale=true
 * -DargLine=-Xmx512m -Dsurefire.failIfNoSpecifiedTests=false}, with {@code
 * -Dfoundry.scale.database=postgresql} for PostgreSQL. Figures go to standard output.
 */
@EnabledIfSystemProperty(named = "foundry.scale", matches = "true")
class StoreScaleTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int BATCH = 500;
  private static final long MAX_HEAP = 512L * 1024 * 1024;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private Path folder;
  private Store store;

  private Optional<String> schema = Optional.empty();

  @BeforeEach
  void open() throws IOException {
    folder = Files.createTempDirectory("foundry-scale");
    SecureRandom random = new SecureRandom();
    store = Store.open(config(), new SecretBox(MasterKey.generate(random), random), clock);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
    schema.ifPresent(name -> execute("DROP SCHEMA " + name + " CASCADE"));
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(folder);
  }

  /** SQLite, or with {@code -Dfoundry.scale.database=postgresql} a fresh schema on PostgreSQL. */
  private DatabaseConfig config() {
    if (!"postgresql".equals(System.getProperty("foundry.scale.database"))) {
      return DatabaseConfig.sqlite(folder.resolve("foundry.db"));
    }
    String name = "store_scale_" + Ids.leaseToken().substring(0, 12);
    execute("CREATE SCHEMA " + name);
    schema = Optional.of(name);
    return new DatabaseConfig(
        PostgresStoreTest.SERVER + "?currentSchema=" + name,
        Optional.of(PostgresStoreTest.USER),
        Optional.empty(),
        4,
        Duration.ofSeconds(5));
  }

  private static void execute(String sql) {
    try (Connection connection =
            DriverManager.getConnection(PostgresStoreTest.SERVER, PostgresStoreTest.USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  @Test
  void stores_several_thousand_results_per_second_from_an_instant_endpoint() {
    Run run = prepare(100_000);

    long started = System.nanoTime();
    long stored = drain(run);
    double seconds = (System.nanoTime() - started) / 1e9;

    double perSecond = stored / seconds;
    System.out.printf(
        "100,000 tasks: claimed and completed in %.1f s, %.0f results/s%n", seconds, perSecond);
    assertThat(stored).isEqualTo(100_000);
    assertThat(perSecond).isGreaterThan(3000);
  }

  @Test
  void completes_a_million_row_run_within_a_512_megabyte_heap() {
    assertThat(Runtime.getRuntime().maxMemory())
        .as("run with -DargLine=-Xmx512m, so the heap is that small")
        .isLessThanOrEqualTo(MAX_HEAP);

    Run run = prepare(1_000_000);
    long started = System.nanoTime();
    long stored = drain(run);
    double seconds = (System.nanoTime() - started) / 1e9;
    long exported;
    long exportStarted = System.nanoTime();
    try (Stream<RunResult> results = store.runs().results(run.id())) {
      exported = results.count();
    }
    double exportSeconds = (System.nanoTime() - exportStarted) / 1e9;

    System.out.printf(
        "1,000,000 tasks: drained in %.1f s (%.0f results/s), exported in %.1f s%n",
        seconds, stored / seconds, exportSeconds);
    assertThat(exported).isEqualTo(1_000_000);
    Run finished = store.runs().get(run.id()).orElseThrow();
    assertThat(finished.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(finished.counts()).isEqualTo(new TaskCounts(0, 0, 1_000_000, 0, 0));
  }

  /** Imports the rows (streamed, never listed) and creates a run over them. */
  private Run prepare(int rows) {
    Model model =
        store
            .models()
            .create("scale", JSON.createObjectNode().put("name", "scale"), Optional.empty());
    Dataset dataset = store.datasets().create("scale", "");
    long importStarted = System.nanoTime();
    ImportReport report =
        store.datasets().importRows(dataset.id(), new GeneratedImageRows("scale", rows));
    double importSeconds = (System.nanoTime() - importStarted) / 1e9;
    assertThat(report.imported()).isEqualTo(rows);

    long createStarted = System.nanoTime();
    Run run =
        store
            .runs()
            .create(
                new RunSpec(
                    model.latestVersionId(),
                    new DataRowSelection.WholeDataset(dataset.id()),
                    new RunSettings(
                        List.of("cat"),
                        Map.of(),
                        JSON.createObjectNode(),
                        Set.of(AssetType.IMAGE),
                        OptionalDouble.empty())));
    double createSeconds = (System.nanoTime() - createStarted) / 1e9;
    System.out.printf(
        "%,d rows: imported in %.1f s (%.0f rows/s), run created in %.1f s%n",
        rows, importSeconds, rows / importSeconds, createSeconds);
    assertThat(run.counts().queued()).isEqualTo(rows);
    return run;
  }

  /** One worker against an endpoint that answers at once: claim a batch, complete it, repeat. */
  private long drain(Run run) {
    ObjectNode predictions = JSON.createObjectNode();
    predictions.putObject("cat").putArray("boxes").addArray().add(0).add(0).add(10).add(10);
    ObjectNode report = JSON.createObjectNode().put("mapped", 1);
    long stored = 0;
    while (true) {
      List<LeasedTask> leased =
          store
              .tasks()
              .claim(
                  run.modelId(),
                  BATCH,
                  BATCH,
                  "scale-worker",
                  Duration.ofMinutes(5),
                  clock.instant());
      if (leased.isEmpty()) {
        return stored;
      }
      Instant finished = clock.instant();
      List<Completion> completions =
          leased.stream()
              .map(
                  task ->
                      new Completion(
                          task,
                          new AttemptOutcome.Succeeded(
                              200,
                              Duration.ofMillis(1),
                              "{\"cat\":{\"boxes\":[[0,0,10,10]]}}",
                              predictions,
                              report),
                          finished,
                          finished))
              .toList();
      stored += store.tasks().complete(completions).size();
    }
  }
}
