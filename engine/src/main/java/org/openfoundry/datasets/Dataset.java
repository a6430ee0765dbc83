package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A named collection of data rows; {@code rowCount} is kept as rows are imported. */
public record Dataset(
    DatasetId id, String name, String description, long rowCount, Instant createdAt) {
  public Dataset {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(createdAt, "createdAt is null");
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount must be >= 0, got " + rowCount);
    }
  }
}
