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

  /**
   * A copy of an exception and of its causes, fit for a log: each message, led by the class name of
   * the exception it copies, with the secret masked; the stack traces as they were.
   */
  static Throwable redact(Throwable thrown, Optional<SecretValue> secret) {
    if (secret.isEmpty()) {
      return thrown;
    }
    Throwable cause = thrown.getCause() == null ? null : redact(thrown.getCause(), secret);
    String message =
        thrown.getClass().getName()
            + (thrown.getMessage() == null ? "" : ": " + redact(thrown.getMessage(), secret));
    Throwable copy = new RedactedException(message, cause);
    copy.setStackTrace(thrown.getStackTrace());
    return copy;
  }

  /** An exception as logged once its message had the secret masked. */
  static final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RedactedException(String message, Throwable cause) {
      super(message, cause, false, true);
    }
  }

  /** As {@link #redact}, for the first part of a body that was cut off where a secret began. */
  static String redactCut(String text, Optional<SecretValue> secret) {
    return secret.map(value -> value.redactCut(text)).orElse(text);
  }
}
