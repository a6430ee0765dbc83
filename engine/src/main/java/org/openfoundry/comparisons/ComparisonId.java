package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

/** Identifies a side-by-side comparison. */
public record ComparisonId(String value) {
  /** Every ComparisonId starts with this prefix, then a ULID. */
  public static final String PREFIX = "cmp_";

  public ComparisonId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException(
          "expected an id starting with " + PREFIX + ", got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
