package org.openfoundry.directrun;

import static java.util.Objects.requireNonNull;

import org.openfoundry.models.ModelId;
import org.openfoundry.models.ModelVersionId;

/** The model version a conversation went to, as answers name it. */
public record ChatModel(ModelId id, ModelVersionId versionId, int version, String name) {
  public ChatModel {
    requireNonNull(id, "id is null");
    requireNonNull(versionId, "versionId is null");
    requireNonNull(name, "name is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
  }
}
