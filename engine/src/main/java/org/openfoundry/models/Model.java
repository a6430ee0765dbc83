package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A registered model: its unique name (among models not archived) and its latest version. Older
 * versions stay, immutable, for the runs that pinned them.
 */
public record Model(
    ModelId id,
    String name,
    ModelVersionId latestVersionId,
    int latestVersion,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> archivedAt) {

  public Model {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(latestVersionId, "latestVersionId is null");
    requireNonNull(createdAt, "createdAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
    requireNonNull(archivedAt, "archivedAt is null");
    if (latestVersion < 1) {
      throw new IllegalArgumentException("latestVersion must be >= 1, got " + latestVersion);
    }
  }

  public boolean isArchived() {
    return archivedAt.isPresent();
  }
}
