package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

/** Identifies a registered model across all its versions. */
public record ModelId(String value) {
  /** Every ModelId starts with this prefix, then a ULID. */
  public static final String PREFIX = "mdl_";

  public ModelId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException(
          "expected an id starting with mdl_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
