package org.openfoundry.export;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** How a data row is named in exports: its platform id and, when it has one, its global key. */
public record DataRowRef(String id, Optional<String> globalKey) {
  public DataRowRef {
    requireNonNull(id, "id is null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("data row id is blank");
    }
    requireNonNull(globalKey, "globalKey is null");
  }

  public static DataRowRef of(String id) {
    return new DataRowRef(id, Optional.empty());
  }

  public static DataRowRef of(String id, String globalKey) {
    return new DataRowRef(id, Optional.of(globalKey));
  }
}
