package org.openfoundry.models;

import static java.util.Objects.requireNonNull;

/**
 * What a new model version does with the secret: secrets are write-only, so a change that does not
 * mention it keeps the previous version's.
 */
public sealed interface SecretChange {
  /** The new version keeps the previous version's secret (if any). */
  record Keep() implements SecretChange {}

  /** The new version has this secret. */
  record Replace(SecretValue secret) implements SecretChange {
    public Replace {
      requireNonNull(secret, "secret is null");
    }
  }

  /** The new version has no secret. */
  record Remove() implements SecretChange {}

  static SecretChange keep() {
    return new Keep();
  }

  static SecretChange replace(SecretValue secret) {
    return new Replace(secret);
  }

  static SecretChange remove() {
    return new Remove();
  }
}
