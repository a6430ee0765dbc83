package org.openfoundry.runs;

import static java.util.Objects.requireNonNull;

/** Why a task's last attempt did not succeed: a stable error code and a message for people. */
public record TaskError(String code, String message) {
  public TaskError {
    requireNonNull(code, "code is null");
    requireNonNull(message, "message is null");
  }
}
