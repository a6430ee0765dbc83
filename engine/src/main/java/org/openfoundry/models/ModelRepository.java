package org.openfoundry.models;

import java.util.List;
import java.util.Optional;
import org.openfoundry.paging.Page;
import org.openfoundry.paging.PageRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registered models and their immutable versions. Names are unique among models that are not
 * archived; a second model with a taken name is a CONFLICT naming the model that holds it.
 */
public interface ModelRepository {

  /** Registers a model with version 1; the secret is sealed before it is stored. */
  Model create(String name, ObjectNode manifest, Optional<SecretValue> secret);

  /** Adds the next version; earlier versions stay as they were. */
  ModelVersion addVersion(ModelId model, ObjectNode manifest, SecretChange secret);

  Optional<Model> get(ModelId id);

  /** The model (not archived) with this exact name. */
  Optional<Model> findByName(String name);

  /** Models not archived, oldest first. */
  Page<Model> list(PageRequest page);

  /** Every version of the model, oldest first. */
  List<ModelVersion> versions(ModelId model);

  Optional<ModelVersion> version(ModelVersionId id);

  /** The version's secret, opened: only for the one place that sends it. */
  Optional<SecretValue> openSecret(ModelVersion version);

  /** Archives the model: it keeps its history and runs, and frees its name. */
  Model archive(ModelId id);
}
