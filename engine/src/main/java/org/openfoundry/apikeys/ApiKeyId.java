package org.openfoundry.apikeys;

import static java.util.Objects.requireNonNull;

/** Identifies an API key; it is not the key, and can be shown and logged. */
public record ApiKeyId(String value) {
  /** Every ApiKeyId starts with this prefix, then a ULID. */
  public static final String PREFIX = "key_";

  public ApiKeyId {
    requireNonNull(value, "value is null");
    if (!value.startsWith(PREFIX) || value.length() <= PREFIX.length()) {
      throw new IllegalArgumentException(
          "expected an id starting with key_, got \"" + value + "\"");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
