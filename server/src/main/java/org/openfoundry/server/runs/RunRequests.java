package org.openfoundry.server.runs;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.openfoundry.datasets.DataRowId;
import org.openfoundry.datasets.DatasetId;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.models.Model;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelRepository;
import org.openfoundry.models.ModelVersion;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.runs.DataRowSelection;
import org.openfoundry.runs.RunSettings;
import org.openfoundry.runs.RunSpec;
import org.openfoundry.server.Fields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the body of {@code POST /api/v1/runs} into a run spec: the model version to pin, the rows,
 * the features (each one of the ontology's), the class mapping and the inference parameters,
 * checked against the manifest's JSON Schema with defaults filled in.
 */
public final class RunRequests {
  private final ModelRepository models;

  public RunRequests(ModelRepository models) {
    this.models = requireNonNull(models, "models is null");
  }

  /** The run spec for a request body, or every problem with it at once. */
  public RunSpec read(ObjectNode body) {
    Fields fields = new Fields(body);
    String modelText = fields.requiredString("model_id");
    Optional<Long> versionNumber = fields.integer("model_version");
    Optional<String> datasetText = fields.string("dataset_id");
    Optional<List<String>> rowIds = fields.strings("data_row_ids");
    Optional<List<String>> globalKeys = fields.strings("global_keys");
    List<String> features = fields.strings("features").orElse(List.of());
    Optional<ObjectNode> mapping = fields.object("class_mapping");
    JsonNode params = fields.node("inference_params").orElse(JsonNodeFactory.instance.objectNode());
    Optional<JsonNode> budget = fields.node("failure_budget");
    fields.rejectUnknown();
    DataRowSelection selection = selection(fields, datasetText, rowIds, globalKeys);
    Map<String, String> classMapping = classMapping(fields, mapping);
    OptionalDouble failureBudget = failureBudget(fields, budget);
    fields.throwIfErrors("invalid run");

    ModelVersion version = version(modelText, versionNumber);
    Manifest manifest = Manifest.fromJson(version.manifest(), Secrets.none());
    checkFeatures(manifest, features, classMapping);
    ObjectNode resolved = manifest.parameters().resolve(params);
    Set<AssetType> allowed =
        manifest.allowedAssetTypes().isEmpty()
            ? EnumSet.allOf(AssetType.class)
            : EnumSet.copyOf(manifest.allowedAssetTypes());
    return new RunSpec(
        version.id(),
        selection,
        new RunSettings(features, classMapping, resolved, allowed, failureBudget));
  }

  private static DataRowSelection selection(
      Fields fields,
      Optional<String> dataset,
      Optional<List<String>> rowIds,
      Optional<List<String>> globalKeys) {
    int given =
        (dataset.isPresent() ? 1 : 0)
            + (rowIds.isPresent() ? 1 : 0)
            + (globalKeys.isPresent() ? 1 : 0);
    if (given != 1) {
      fields
          .problems()
          .error(
              "dataset_id",
              "expected exactly one of dataset_id, data_row_ids or global_keys, got " + given);
      return null;
    }
    if (dataset.isPresent()) {
      if (!dataset.get().startsWith(DatasetId.PREFIX)
          || dataset.get().length() <= DatasetId.PREFIX.length()) {
        fields
            .problems()
            .error("dataset_id", "expected a dataset id (ds_...), got \"" + dataset.get() + "\"");
        return null;
      }
      return new DataRowSelection.WholeDataset(new DatasetId(dataset.get()));
    }
    if (rowIds.isPresent()) {
      List<DataRowId> ids = new ArrayList<>();
      for (int index = 0; index < rowIds.get().size(); index++) {
        String id = rowIds.get().get(index);
        if (!id.startsWith(DataRowId.PREFIX) || id.length() <= DataRowId.PREFIX.length()) {
          fields
              .problems()
              .error(
                  "data_row_ids[" + index + "]",
                  "expected a data row id (dr_...), got \"" + id + "\"");
        } else {
          ids.add(new DataRowId(id));
        }
      }
      if (rowIds.get().isEmpty()) {
        fields.problems().error("data_row_ids", "expected at least one id");
      }
      return ids.isEmpty() ? null : new DataRowSelection.ByIds(ids);
    }
    if (globalKeys.get().isEmpty()) {
      fields.problems().error("global_keys", "expected at least one key");
      return null;
    }
    return new DataRowSelection.ByGlobalKeys(globalKeys.get());
  }

  private static Map<String, String> classMapping(Fields fields, Optional<ObjectNode> mapping) {
    Map<String, String> classMapping = new LinkedHashMap<>();
    mapping.ifPresent(
        object ->
            object
                .properties()
                .forEach(
                    entry -> {
                      if (entry.getValue().isString()) {
                        classMapping.put(entry.getKey(), entry.getValue().asString());
                      } else {
                        fields
                            .problems()
                            .error(
                                "class_mapping." + entry.getKey(),
                                "expected a feature name, got "
                                    + org.openfoundry.server.Json.describe(entry.getValue()));
                      }
                    }));
    return classMapping;
  }

  private static OptionalDouble failureBudget(Fields fields, Optional<JsonNode> budget) {
    if (budget.isEmpty()) {
      return OptionalDouble.empty();
    }
    JsonNode value = budget.get();
    if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
      fields
          .problems()
          .error(
              "failure_budget",
              "expected a fraction from 0 to 1, got "
                  + org.openfoundry.server.Json.describe(value));
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(value.asDouble());
  }

  private ModelVersion version(String modelText, Optional<Long> number) {
    if (!modelText.startsWith(ModelId.PREFIX) || modelText.length() <= ModelId.PREFIX.length()) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "invalid run",
          List.of(
              Problem.error(
                  "model_id", "expected a model id (mdl_...), got \"" + modelText + "\"")));
    }
    ModelId id = new ModelId(modelText);
    Model model =
        models
            .get(id)
            .orElseThrow(() -> new FoundryException(ErrorCode.NOT_FOUND, "no model with id " + id));
    if (model.isArchived()) {
      throw new FoundryException(
          ErrorCode.CONFLICT, "model " + id + " is archived: it takes no new runs");
    }
    if (number.isEmpty()) {
      return versionById(model.latestVersionId());
    }
    return models.versions(id).stream()
        .filter(version -> version.version() == number.get())
        .findFirst()
        .orElseThrow(
            () ->
                new FoundryException(
                    ErrorCode.INVALID_INPUT,
                    "invalid run",
                    List.of(
                        Problem.error(
                            "model_version",
                            "expected a version from 1 to "
                                + model.latestVersion()
                                + ", got "
                                + number.get()))));
  }

  private ModelVersion versionById(ModelVersionId id) {
    return models
        .version(id)
        .orElseThrow(
            () -> new FoundryException(ErrorCode.INTERNAL, "model version " + id + " is missing"));
  }

  private static void checkFeatures(
      Manifest manifest, List<String> features, Map<String, String> mapping) {
    if (manifest.ontology().isEmpty()) {
      return;
    }
    List<Problem> problems = new ArrayList<>();
    List<String> known =
        manifest.ontology().features().stream().map(feature -> feature.name()).toList();
    for (int index = 0; index < features.size(); index++) {
      if (manifest.ontology().feature(features.get(index)).isEmpty()) {
        problems.add(
            Problem.error(
                "features[" + index + "]",
                "expected one of " + known + ", got \"" + features.get(index) + "\""));
      }
    }
    mapping.forEach(
        (from, to) -> {
          if (manifest.ontology().feature(to).isEmpty()) {
            problems.add(
                Problem.error(
                    "class_mapping." + from, "expected one of " + known + ", got \"" + to + "\""));
          }
        });
    if (!problems.isEmpty()) {
      throw new FoundryException(ErrorCode.INVALID_INPUT, "invalid run", problems);
    }
  }
}
