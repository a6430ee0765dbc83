package org.openfoundry.dispatch;

import java.util.Optional;
import org.openfoundry.models.SecretValue;

/** Masks a secret wherever an endpoint or an exception might have echoed it. */
final class Redaction {
  static final String MASK = SecretValue.MASK;

  private Redaction() {}

  static String redact(String text, Optional<SecretValue> secret) {
    return secret.map(value -> value.redact(text)).orElse(text);
  }

  /** As {@link #redact}, for the first part of a body that was cut off where a secret began. */
  static String redactCut(String text, Optional<SecretValue> secret) {
    return secret.map(value -> value.redactCut(text)).orElse(text);
  }
}
