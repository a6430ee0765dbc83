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
        .map((rs, context) -> map(rs))
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

  static FoundryException notFound(RunId id) {
    return new FoundryException(ErrorCode.NOT_FOUND, "run " + id + " does not exist");
  }

  static Run map(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    double budget = rs.getDouble("failure_budget");
    OptionalDouble failureBudget =
        rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(budget);
    RunSettings settings =
        new RunSettings(
            Json.readStrings(rs.getString("features"), "features of " + id),
            Json.readMap(rs.getString("class_mapping"), "class mapping of " + id),
            Json.readObject(rs.getString("inference_params"), "inference params of " + id),
            Json.readStrings(rs.getString("allowed_asset_types"), "asset types of " + id).stream()
                .map(word -> AssetType.parse(word).orElseThrow())
                .collect(Collectors.toSet()),
            failureBudget);
    TaskCounts counts =
        new TaskCounts(
            rs.getLong("queued"),
            rs.getLong("leased"),
            rs.getLong("succeeded"),
            rs.getLong("failed"),
            rs.getLong("cancelled"));
    RunTimes times =
        new RunTimes(
            Instant.ofEpochMilli(rs.getLong("created_at")),
            instant(rs, "started_at"),
            instant(rs, "finished_at"));
    return new Run(
        new RunId(id),
        new ModelId(rs.getString("model_id")),
        new ModelVersionId(rs.getString("model_version_id")),
        Optional.ofNullable(rs.getString("dataset_id")).map(DatasetId::new),
        settings,
        RunState.valueOf(rs.getString("state")),
        counts,
        times);
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
