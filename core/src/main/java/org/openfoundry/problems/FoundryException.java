package org.openfoundry.problems;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The root of OpenFoundry's own errors: a stable code, a message for people, and the problems that
 * make it up (each naming its path and, where known, its source position).
 */
public class FoundryException extends RuntimeException {
  private final ErrorCode code;
  private final List<Problem> problems;

  public FoundryException(ErrorCode code, String message) {
    this(code, message, List.of(), null);
  }

  public FoundryException(ErrorCode code, String message, List<Problem> problems) {
    this(code, message, problems, null);
  }

  public FoundryException(ErrorCode code, String message, List<Problem> problems, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
    this.problems = List.copyOf(problems);
  }

  public ErrorCode code() {
    return code;
  }

  public List<Problem> problems() {
    return problems;
  }

  /** The message followed by every problem, one per line: what a CLI prints. */
  public String describe() {
    if (problems.isEmpty()) {
      return getMessage();
    }
    return getMessage()
        + System.lineSeparator()
        + problems.stream()
            .map(problem -> "  " + problem.format())
            .collect(Collectors.joining(System.lineSeparator()));
  }
}
