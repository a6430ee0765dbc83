package org.openfoundry.dispatch;

import java.util.Optional;
import org.openfoundry.models.SecretValue;

/** Masks a secret wherever an endpoint or an exception might have echoed it. */
final class Redaction {
  static final String MASK = "****";

  private Redaction() {}

  static String redact(String text, Optional<SecretValue> secret) {
    if (secret.isEmpty() || secret.get().reveal().isEmpty()) {
      return text;
    }
    return text.replace(secret.get().reveal(), MASK);
  }
}
