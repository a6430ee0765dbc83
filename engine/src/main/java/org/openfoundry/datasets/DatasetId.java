package org.openfoundry.datasets;

import static java.util.Objects.requireNonNull;

/** Identifies a dataset. */
public record DatasetId(String value) {
  /** Every DatasetId starts with this prefix, then a ULID. */
  public static final String PREFIX = "ds_";

  public DatasetId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException("expected an id starting with ds_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
