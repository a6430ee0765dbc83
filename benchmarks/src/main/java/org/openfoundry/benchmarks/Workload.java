package org.openfoundry.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.GeneratedImageRows;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.models.Model;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.store.Store;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One load run's data in a store: a detector model calling the load endpoint, a dataset of
 * generated image rows imported as a stream, and a run over all of them.
 */
final class Workload {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Workload() {}

  /**
   * Registers the model (with {@code requestsPerSecond} when given), imports {@code rows} rows and
   * creates the run; prints how long the import and the run creation took.
   */
  static Run prepare(
      Store store,
      String name,
      URI endpoint,
      int maxConcurrency,
      OptionalDouble requestsPerSecond,
      int rows) {
    String rate =
        requestsPerSecond.isPresent()
            ? "requests_per_second: " + requestsPerSecond.getAsDouble() + "\n"
            : "";
    Manifest manifest =
        new ManifestLoader()
            .load(
                "model.yaml",
                """
                name: %s
                inference_endpoint: %s
                %smax_concurrency: %d
                max_attempts: 5
                ontology:
                  media_type: IMAGE
                  tools:
                    - {name: person, tool: rectangle}
                """
                    .formatted(name, endpoint, rate, maxConcurrency))
            .manifest();
    Model model = store.models().create(name, manifest.toJson(), Optional.empty());
    Dataset dataset = store.datasets().create(name, "generated rows for a load run");
    long importStarted = System.nanoTime();
    ImportReport report =
        store.datasets().importRows(dataset.id(), new GeneratedImageRows(name, rows));
    double importSeconds = seconds(importStarted);
    if (report.imported() != rows) {
      throw new IllegalStateException("imported " + report.imported() + " of " + rows + " rows");
    }
    long createStarted = System.nanoTime();
    Run run =
        store
            .runs()
            .create(
                new RunSpec(
                    model.latestVersionId(),
                    new DataRowSelection.WholeDataset(dataset.id()),
                    new RunSettings(
                        List.of("person"),
                        Map.of(),
                        JSON.objectNode(),
                        Set.of(AssetType.IMAGE),
                        OptionalDouble.empty())));
    System.out.printf(
        "  %,d rows imported in %.1f s (%,.0f rows/s), run created in %.1f s%n",
        rows, importSeconds, rows / importSeconds, seconds(createStarted));
    return run;
  }

  /** Polls the run's counters until it finishes, telling {@code progress} each time. */
  static Run awaitFinished(
      Store store, Run run, Duration poll, Duration within, Progress progress) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Run current = store.runs().get(run.id()).orElseThrow();
      progress.seen(current);
      if (current.state().isFinished()) {
        return current;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the run did not finish within " + within + ": " + current.counts());
      }
      LockSupport.parkNanos(poll.toNanos());
    }
  }

  /** Told of the run's counters each time they are read. */
  @FunctionalInterface
  interface Progress {
    void seen(Run run);
  }

  static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
