package org.openfoundry.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.RunTimes;
import org.openfoundry.runs.TaskCounts;

/** Reads runs with their counters. */
final class RunRows {
  static final String SELECT =
      """
      SELECT r.id, r.model_id, r.model_version_id, r.dataset_id, r.state, r.features,
             r.class_mapping, r.inference_params, r.allowed_asset_types, r.failure_budget,
             r.created_at, r.started_at, r.finished_at,
             c.queued, c.leased, c.succeeded, c.failed, c.cancelled
      FROM runs r JOIN run_counters c ON c.run_id = r.id
      """;

  private RunRows() {}

  static Optional<Run> find(Handle handle, RunId id) {
    return handle
        .createQuery(SELECT + "WHERE r.id = :id")
        .bind("id", id.value())
        .map((resultSet, context) -> map(resultSet))
        .findOne();
  }

  /** Locks the run's row for the rest of the transaction (a no-op on SQLite, see Dialect). */
  static Run lock(Handle handle, Dialect dialect, RunId id) {
    handle
        .createQuery("SELECT id FROM runs WHERE id = :id " + dialect.forUpdate())
        .bind("id", id.value())
        .mapTo(String.class)
        .findOne()
        .orElseThrow(() -> notFound(id));
    return find(handle, id).orElseThrow(() -> notFound(id));
  }

  /**
   * Locks the run's row for the rest of the transaction, as {@link #lock} does, and reads only its
   * state: what the hot paths (claims, completions) need, without reading its settings.
   */
  static RunState lockState(Handle handle, Dialect dialect, RunId id) {
    return handle
        .createQuery("SELECT state FROM runs WHERE id = :id " + dialect.forUpdate())
        .bind("id", id.value())
        .mapTo(String.class)
        .findOne()
        .map(RunState::valueOf)
        .orElseThrow(() -> notFound(id));
  }

  static FoundryException notFound(RunId id) {
    return new FoundryException(ErrorCode.NOT_FOUND, "run " + id + " does not exist");
  }

  static Run map(ResultSet resultSet) throws SQLException {
    String id = resultSet.getString("id");
    double budget = resultSet.getDouble("failure_budget");
    OptionalDouble failureBudget =
        resultSet.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(budget);
    RunSettings settings =
        new RunSettings(
            Json.readStrings(resultSet.getString("features"), "features of " + id),
            Json.readMap(resultSet.getString("class_mapping"), "class mapping of " + id),
            Json.readObject(resultSet.getString("inference_params"), "inference params of " + id),
            Json.readStrings(resultSet.getString("allowed_asset_types"), "asset types of " + id)
                .stream()
                .map(word -> AssetType.parse(word).orElseThrow())
                .collect(Collectors.toSet()),
            failureBudget);
    TaskCounts counts = counts(resultSet);
    RunTimes times =
        new RunTimes(
            Instant.ofEpochMilli(resultSet.getLong("created_at")),
            instant(resultSet, "started_at"),
            instant(resultSet, "finished_at"));
    return new Run(
        new RunId(id),
        new ModelId(resultSet.getString("model_id")),
        new ModelVersionId(resultSet.getString("model_version_id")),
        Optional.ofNullable(resultSet.getString("dataset_id")).map(DatasetId::new),
        settings,
        RunState.valueOf(resultSet.getString("state")),
        counts,
        times);
  }

  /** The counters of a row that has the columns of {@code run_counters}. */
  static TaskCounts counts(ResultSet resultSet) throws SQLException {
    return new TaskCounts(
        resultSet.getLong("queued"),
        resultSet.getLong("leased"),
        resultSet.getLong("succeeded"),
        resultSet.getLong("failed"),
        resultSet.getLong("cancelled"));
  }

  private static Optional<Instant> instant(ResultSet resultSet, String column) throws SQLException {
    long millis = resultSet.getLong(column);
    return resultSet.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
