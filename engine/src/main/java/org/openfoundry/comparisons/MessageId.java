package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

/**
 * Identifies a message of a comparison: the last prompt message, or one model's answer to it. The
 * Labelbox export names messages by these ids.
 */
public record MessageId(String value) {
  /** Every MessageId starts with this prefix, then a ULID. */
  public static final String PREFIX = "msg_";

  public MessageId {
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
