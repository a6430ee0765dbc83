package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.openfoundry.ontology.AssetType;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a run calls its model, stored with the run: the features to predict, the mapping from the
 * model's class names to feature names, the inference parameters (validated, defaults filled in),
 * the media types the model accepts, and an optional failure budget: the share of failed tasks
 * (0..1) above which the run stops as FAILED.
 */
public record RunSettings(
    List<String> features,
    Map<String, String> classMapping,
    ObjectNode inferenceParams,
    Set<AssetType> allowedAssetTypes,
    OptionalDouble failureBudget) {

  public RunSettings {
    features = List.copyOf(features);
    classMapping = Map.copyOf(classMapping);
    requireNonNull(inferenceParams, "inferenceParams is null");
    inferenceParams = inferenceParams.deepCopy();
    allowedAssetTypes = Set.copyOf(allowedAssetTypes);
    requireNonNull(failureBudget, "failureBudget is null");
    if (allowedAssetTypes.isEmpty()) {
      throw new IllegalArgumentException("allowed_asset_types: expected at least one asset type");
    }
    if (failureBudget.isPresent()) {
      double budget = failureBudget.getAsDouble();
      if (!(budget >= 0 && budget <= 1)) {
        throw new IllegalArgumentException(
            "failure_budget: expected a fraction within 0..1, got " + budget);
      }
    }
  }

  @Override
  public ObjectNode inferenceParams() {
    return inferenceParams.deepCopy();
  }
}
