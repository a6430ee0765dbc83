package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

/** Identifies one judgment of a comparison. */
public record JudgmentId(String value) {
  /** Every JudgmentId starts with this prefix, then a ULID. */
  public static final String PREFIX = "jdg_";

  public JudgmentId {
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
