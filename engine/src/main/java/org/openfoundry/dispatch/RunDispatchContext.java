package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;
import org.openfoundry.models.SecretValue;
import org.openfoundry.runs.RunId;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the dispatcher needs to call a run's model: the pinned version's manifest (canonical JSON),
 * its decrypted secret, the features to predict, the class-to-feature mapping and the resolved
 * inference parameters (defaults applied).
 */
public record RunDispatchContext(
    RunId runId,
    ModelId modelId,
    ModelVersionId modelVersionId,
    ObjectNode manifest,
    Optional<SecretValue> secret,
    List<String> features,
    Map<String, String> classMapping,
    ObjectNode inferenceParams) {

  public RunDispatchContext {
    requireNonNull(runId, "runId is null");
    requireNonNull(modelId, "modelId is null");
    requireNonNull(modelVersionId, "modelVersionId is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(secret, "secret is null");
    features = List.copyOf(features);
    classMapping = Map.copyOf(classMapping);
    requireNonNull(inferenceParams, "inferenceParams is null");
  }
}
