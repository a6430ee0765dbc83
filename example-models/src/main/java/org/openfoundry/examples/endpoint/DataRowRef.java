package org.openfoundry.examples.endpoint;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** The data row of a task request: a URL for images, the text itself for text rows. */
public record DataRowRef(Optional<String> id, Optional<String> globalKey, String rowData) {
  public DataRowRef {
    requireNonNull(id, "id is null");
    requireNonNull(globalKey, "globalKey is null");
    requireNonNull(rowData, "rowData is null");
  }
}
