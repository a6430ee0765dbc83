package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

/** Identifies a task: one data row of one run. Sent to the endpoint as the Idempotency-Key. */
public record TaskId(String value) {
  /** Every TaskId starts with this prefix, then a ULID. */
  public static final String PREFIX = "tsk_";

  public TaskId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException(
          "expected an id starting with tsk_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
