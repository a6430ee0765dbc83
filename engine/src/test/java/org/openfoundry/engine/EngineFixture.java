package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.openfoundry.datasets.Dataset;
import org.openfoundry.datasets.GeneratedImageRows;
import org.openfoundry.datasets.ImportReport;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.models.Model;
import org.openfoundry.models.SecretValue;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.store.Store;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Models, datasets and runs in a real store, and bounded waits, for the engine's tests. */
final class EngineFixture {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration POLL = Duration.ofMillis(20);

  private EngineFixture() {}

  /** Registers a model from a manifest's YAML, as the API would, with its secret sealed. */
  static Model model(Store store, String yaml, Optional<String> secret) {
    Manifest manifest = new ManifestLoader().load("model.yaml", yaml).manifest();
    return store.models().create(manifest.name(), manifest.toJson(), secret.map(SecretValue::new));
  }

  /** A dataset of {@code rows} image rows with global keys {@code <prefix>-<n>.jpg}. */
  static Dataset dataset(Store store, String prefix, int rows) {
    Dataset dataset = store.datasets().create(prefix, "rows for an engine test");
    ImportReport report =
        store.datasets().importRows(dataset.id(), new GeneratedImageRows(prefix, rows));
    assertThat(report.imported()).isEqualTo(rows);
    return dataset;
  }

  /** A run of the model's latest version over the whole dataset. */
  static Run run(Store store, Model model, Dataset dataset, List<String> features) {
    return store
        .runs()
        .create(
            new RunSpec(
                model.latestVersionId(),
                new DataRowSelection.WholeDataset(dataset.id()),
                new RunSettings(
                    features,
                    Map.of(),
                    JSON.createObjectNode(),
                    Set.of(AssetType.IMAGE, AssetType.TEXT),
                    OptionalDouble.empty())));
  }

  /** Polls until the condition holds; fails with {@code what} once {@code within} has passed. */
  static void await(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + within + " for " + what);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Polls until the value is present and returns it. */
  static <T> T awaitValue(String what, Duration within, Supplier<Optional<T>> value) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Optional<T> found = value.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + within + " for " + what);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  static ObjectNode object(String json) {
    return (ObjectNode) JSON.readTree(json);
  }
}
