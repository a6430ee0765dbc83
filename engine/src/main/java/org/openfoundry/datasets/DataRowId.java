package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

/** Identifies a data row. */
public record DataRowId(String value) {
  /** Every DataRowId starts with this prefix, then a ULID. */
  public static final String PREFIX = "dr_";

  public DataRowId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException("expected an id starting with dr_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
