package org.openfoundry.cli.datasets;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;

/** Finds a dataset by its id ({@code ds_...}), or by its name when one dataset has it. */
public final class DatasetRef {
  private static final int MAX_DATASETS = 100_000;

  private DatasetRef() {}

  public static JsonNode resolve(FoundryClient client, String idOrName) {
    if (idOrName.startsWith("ds_")) {
      return client.get("/api/v1/datasets/" + FoundryClient.segment(idOrName));
    }
    List<JsonNode> named = named(client, idOrName);
    if (named.isEmpty()) {
      throw new FoundryException(
          ErrorCode.NOT_FOUND,
          "no dataset is called \"" + idOrName + "\"; foundry datasets list shows them");
    }
    if (named.size() > 1) {
      throw new FoundryException(
          ErrorCode.CONFLICT,
          named.size()
              + " datasets are called \""
              + idOrName
              + "\"; give one of their ids: "
              + named.stream()
                  .map(dataset -> dataset.path("id").asString())
                  .collect(Collectors.joining(", ")));
    }
    return named.getFirst();
  }

  /** The first dataset called {@code name}, if any. */
  public static Optional<JsonNode> findByName(FoundryClient client, String name) {
    return named(client, name).stream().findFirst();
  }

  private static List<JsonNode> named(FoundryClient client, String name) {
    return client.list("/api/v1/datasets", MAX_DATASETS).stream()
        .filter(dataset -> dataset.path("name").asString("").equals(name))
        .toList();
  }
}
