package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

/** Identifies a model run. */
public record RunId(String value) {
  /** Every RunId starts with this prefix, then a ULID. */
  public static final String PREFIX = "run_";

  public RunId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException(
          "expected an id starting with run_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
