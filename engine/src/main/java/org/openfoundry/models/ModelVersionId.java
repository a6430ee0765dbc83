package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

/** Identifies one immutable version of a model; runs pin one. */
public record ModelVersionId(String value) {
  /** Every ModelVersionId starts with this prefix, then a ULID. */
  public static final String PREFIX = "mv_";

  public ModelVersionId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException("expected an id starting with mv_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
