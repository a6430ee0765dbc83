package org.openfoundry.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.models.ModelId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunId;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.runs.RunState;
import org.openfoundry.runs.TaskState;

/**
 * Creates one run inside the caller's write transaction: checks the selection, then queues one task
 * per selected row with a single INSERT ... SELECT, so a million rows never pass through memory.
 */
final class RunCreation {
  /** How many offending rows an error names. */
  static final int NAMED_OFFENDERS = 10;

  private static final int STAGING_BATCH = 1000;

  private final Handle handle;
  private final Dialect dialect;
  private final RunId id;
  private final RunSpec spec;
  private final long now;

  RunCreation(Handle handle, Dialect dialect, RunId id, RunSpec spec, long now) {
    this.handle = handle;
    this.dialect = dialect;
    this.id = id;
    this.spec = spec;
    this.now = now;
  }

  Run create() {
    ModelId model = pinnedModel();
    Source source = source();
    checkMediaTypes(source);
    insertRun(model, source.dataset());
    long queued =
        handle
            .createUpdate(
                "INSERT INTO tasks (id, run_id, data_row_id, state, available_at, attempts) "
                    + "SELECT :prefix || substr(d.id, :rowIdStart), :run, d.id, 'QUEUED', :now, 0 "
                    + source.fromWhere()
                    + " ORDER BY "
                    + source.order())
            .bind("prefix", "tsk_" + id.value().substring(RunId.PREFIX.length()))
            .bind("rowIdStart", DataRowId.PREFIX.length() + 1)
            .bind("run", id.value())
            .bind("now", now)
            .bind("dataset", source.dataset().map(DatasetId::value).orElse(""))
            .execute();
    CounterDelta.NONE.plus(TaskState.QUEUED, queued).apply(handle, id);
    handle
        .createUpdate("DELETE FROM run_selection WHERE run_id = :run")
        .bind("run", id.value())
        .execute();
    Run run = RunRows.find(handle, id).orElseThrow();
    if (queued == 0) {
      RunLifecycle.moveRun(handle, run, RunState.SUCCEEDED, now);
      return RunRows.find(handle, id).orElseThrow();
    }
    return run;
  }

  private ModelId pinnedModel() {
    record Pinned(String modelId, boolean archived) {}
    Pinned pinned =
        handle
            .createQuery(
                """
                SELECT v.model_id, m.archived_at IS NOT NULL AS archived
                FROM model_versions v JOIN models m ON m.id = v.model_id
                WHERE v.id = :version
                """)
            .bind("version", spec.modelVersion().value())
            .map(
                (resultSet, context) ->
                    new Pinned(resultSet.getString("model_id"), resultSet.getBoolean("archived")))
            .findOne()
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.NOT_FOUND,
                        "model version " + spec.modelVersion() + " does not exist"));
    if (pinned.archived()) {
      throw new FoundryException(
          ErrorCode.CONFLICT, "model " + pinned.modelId() + " is archived: it takes no new runs");
    }
    return new ModelId(pinned.modelId());
  }

  /** Where the selected rows come from, as SQL over {@code data_rows d}. */
  private record Source(Optional<DatasetId> dataset, String fromWhere, String order) {}

  private Source source() {
    return switch (spec.selection()) {
      case DataRowSelection.WholeDataset whole -> {
        // Locked against imports (each import batch updates its dataset's row), so that the
        // rows checked below are the rows queued: none can be added between the two.
        boolean exists =
            handle
                .createQuery("SELECT id FROM datasets WHERE id = :id " + dialect.forShare())
                .bind("id", whole.dataset().value())
                .mapTo(String.class)
                .findOne()
                .isPresent();
        if (!exists) {
          throw new FoundryException(
              ErrorCode.NOT_FOUND, "dataset " + whole.dataset() + " does not exist");
        }
        yield new Source(
            Optional.of(whole.dataset()),
            "FROM data_rows d WHERE d.dataset_id = :dataset",
            "d.seq");
      }
      case DataRowSelection.ByIds ids ->
          staged(ids.ids().stream().map(DataRowId::value).toList(), "d.id", "data row id");
      case DataRowSelection.ByGlobalKeys keys ->
          staged(keys.globalKeys(), "d.global_key", "global key");
    };
  }

  /** Stages the listed ids or keys, and refuses the run when any of them does not exist. */
  private Source staged(List<String> items, String column, String what) {
    for (int from = 0; from < items.size(); from += STAGING_BATCH) {
      PreparedBatch batch =
          handle.prepareBatch(
              """
              INSERT INTO run_selection (run_id, position, item) VALUES (:run, :position, :item)
              ON CONFLICT DO NOTHING
              """);
      int to = Math.min(items.size(), from + STAGING_BATCH);
      for (int position = from; position < to; position++) {
        batch
            .bind("run", id.value())
            .bind("position", position)
            .bind("item", items.get(position))
            .add();
      }
      batch.execute();
    }
    String missingWhere =
        " FROM run_selection s LEFT JOIN data_rows d ON "
            + column
            + " = s.item WHERE s.run_id = :run AND d.id IS NULL";
    long missing = count(handle.createQuery("SELECT COUNT(*)" + missingWhere));
    if (missing > 0) {
      List<String> named =
          handle
              .createQuery("SELECT s.item" + missingWhere + " ORDER BY s.position LIMIT :limit")
              .bind("run", id.value())
              .bind("limit", NAMED_OFFENDERS)
              .mapTo(String.class)
              .list();
      List<Problem> problems =
          named.stream()
              .map(item -> Problem.error("data_rows", what + " \"" + item + "\" does not exist"))
              .toList();
      throw new FoundryException(
          ErrorCode.NOT_FOUND,
          missing + " of the selected data rows do not exist" + firstOnes(missing),
          problems);
    }
    return new Source(
        Optional.empty(),
        "FROM run_selection s JOIN data_rows d ON " + column + " = s.item WHERE s.run_id = :run",
        "s.position");
  }

  private void checkMediaTypes(Source source) {
    List<String> allowed =
        spec.settings().allowedAssetTypes().stream().map(AssetType::name).sorted().toList();
    String offending = source.fromWhere() + " AND d.media_type NOT IN (<allowed>)";
    long count =
        count(
            handle
                .createQuery("SELECT COUNT(*) " + offending)
                .bindList("allowed", allowed)
                .bind("dataset", source.dataset().map(DatasetId::value).orElse("")));
    if (count == 0) {
      return;
    }
    List<Problem> problems =
        handle
            .createQuery(
                "SELECT d.id, d.global_key, d.media_type "
                    + offending
                    + " ORDER BY "
                    + source.order()
                    + " LIMIT :limit")
            .bindList("allowed", allowed)
            .bind("dataset", source.dataset().map(DatasetId::value).orElse(""))
            .bind("run", id.value())
            .bind("limit", NAMED_OFFENDERS)
            .map(
                (resultSet, context) ->
                    Problem.error(
                        "data_rows." + resultSet.getString("id"),
                        "media type "
                            + resultSet.getString("media_type")
                            + Optional.ofNullable(resultSet.getString("global_key"))
                                .map(key -> " (global key \"" + key + "\")")
                                .orElse("")
                            + " is not one the model accepts: expected one of "
                            + String.join(", ", allowed)))
            .list();
    throw new FoundryException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        count
            + " of the selected data rows have a media type the model does not accept"
            + firstOnes(count),
        problems);
  }

  private long count(Query query) {
    return query.bind("run", id.value()).mapTo(Long.class).one();
  }

  private void insertRun(ModelId model, Optional<DatasetId> dataset) {
    RunSettings settings = spec.settings();
    handle
        .createUpdate(
            """
            INSERT INTO runs (id, model_id, model_version_id, dataset_id, state, features,
              class_mapping, inference_params, allowed_asset_types, failure_budget, created_at)
            VALUES (:id, :model, :version, :dataset, :state, :features, :mapping, :params,
              :assetTypes, :budget, :now)
            """)
        .bind("id", id.value())
        .bind("model", model.value())
        .bind("version", spec.modelVersion().value())
        .bind("dataset", dataset.map(DatasetId::value).orElse(null))
        .bind("state", RunState.QUEUED.name())
        .bind("features", Json.writeStrings(settings.features()))
        .bind("mapping", Json.writeMap(settings.classMapping()))
        .bind("params", Json.write(settings.inferenceParams()))
        .bind(
            "assetTypes",
            Json.writeStrings(
                settings.allowedAssetTypes().stream()
                    .map(AssetType::name)
                    .sorted()
                    .collect(Collectors.toCollection(ArrayList::new))))
        .bind(
            "budget",
            settings.failureBudget().isPresent() ? settings.failureBudget().getAsDouble() : null)
        .bind("now", now)
        .execute();
    handle
        .createUpdate("INSERT INTO run_counters (run_id, model_id) VALUES (:run, :model)")
        .bind("run", id.value())
        .bind("model", model.value())
        .execute();
  }

  private static String firstOnes(long count) {
    return count > NAMED_OFFENDERS ? "; the first " + NAMED_OFFENDERS + " are listed" : "";
  }
}
