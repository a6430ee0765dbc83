package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.openfoundry.secrets.SealedSecret;
import tools.jackson.databind.node.ObjectNode;

/**
 * One immutable version of a model: the manifest as canonical JSON and the secret, sealed. Runs pin
 * a version, so what they call never changes under them.
 */
public record ModelVersion(
    ModelVersionId id,
    ModelId modelId,
    int version,
    ObjectNode manifest,
    Optional<SealedSecret> secret,
    Instant createdAt) {

  public ModelVersion {
    requireNonNull(id, "id is null");
    requireNonNull(modelId, "modelId is null");
    requireNonNull(manifest, "manifest is null");
    requireNonNull(secret, "secret is null");
    requireNonNull(createdAt, "createdAt is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    manifest = manifest.deepCopy();
  }

  @Override
  public ObjectNode manifest() {
    return manifest.deepCopy();
  }

  public boolean hasSecret() {
    return secret.isPresent();
  }
}
