package org.openfoundry.problems;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One thing wrong (or worth a warning) with an input: where it is, the path of the key or element
 * ({@code inference_params_json_schema.properties.confidence.maximum}, {@code cat.boxes[2]}), and a
 * message saying what was found and what was expected.
 */
public record Problem(
    Severity severity, String path, Optional<SourcePosition> position, String message) {

  public Problem {
    requireNonNull(severity, "severity is null");
    requireNonNull(path, "path is null");
    requireNonNull(position, "position is null");
    requireNonNull(message, "message is null");
  }

  public static Problem error(String path, String message) {
    return new Problem(Severity.ERROR, path, Optional.empty(), message);
  }

  public static Problem warning(String path, String message) {
    return new Problem(Severity.WARNING, path, Optional.empty(), message);
  }

  public Problem at(SourcePosition where) {
    return new Problem(severity, path, Optional.of(where), message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code model.yaml:23:7 a.b.c: expected a number, got "high"}; warnings say so. */
  public String format() {
    StringBuilder line = new StringBuilder();
    position.ifPresent(where -> line.append(where).append(' '));
    if (severity == Severity.WARNING) {
      line.append("warning: ");
    }
    if (!path.isEmpty()) {
      line.append(path).append(": ");
    }
    return line.append(message).toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
