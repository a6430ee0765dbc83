package org.openfoundry.cli.models;

import java.util.List;
import java.util.Optional;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;

/** Finds a model by its id ({@code mdl_...}) or by its name, which is unique among live models. */
public final class ModelRef {
  private static final int MAX_MODELS = 100_000;

  private ModelRef() {}

  /** The model with its latest manifest, as {@code GET /api/v1/models/{id}} gives it. */
  public static JsonNode resolve(FoundryClient client, String idOrName) {
    if (idOrName.startsWith("mdl_")) {
      return client.get("/api/v1/models/" + FoundryClient.segment(idOrName));
    }
    String id =
        findByName(client, idOrName)
            .map(model -> model.path("id").asString())
            .orElseThrow(
                () ->
                    new FoundryException(
                        ErrorCode.NOT_FOUND,
                        "no model is called \""
                            + idOrName
                            + "\"; foundry models list shows the models"));
    return client.get("/api/v1/models/" + FoundryClient.segment(id));
  }

  /** The summary of the live model called {@code name}, if there is one. */
  public static Optional<JsonNode> findByName(FoundryClient client, String name) {
    List<JsonNode> models = client.list("/api/v1/models", MAX_MODELS);
    return models.stream()
        .filter(model -> model.path("name").asString("").equals(name))
        .findFirst();
  }
}
