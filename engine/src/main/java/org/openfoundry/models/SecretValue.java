package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

/** A decrypted model secret. Its {@code toString} never shows it, so it cannot leak into logs. */
public record SecretValue(String value) {
  public SecretValue {
    requireNonNull(value, "value is null");
  }

  /** The secret itself, for the one place that sends it (the endpoint's auth header). */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "SecretValue[****]";
  }
}
