package org.openfoundry.problems;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while an input is read, so that all of them are reported at once. */
public final class Problems {
  private final List<Problem> collected = new ArrayList<>();

  public void add(Problem problem) {
    collected.add(problem);
  }

  public void error(String path, String message) {
    add(Problem.error(path, message));
  }

  public void warning(String path, String message) {
    add(Problem.warning(path, message));
  }

  public boolean hasErrors() {
    return collected.stream().anyMatch(Problem::isError);
  }

  public List<Problem> all() {
    return List.copyOf(collected);
  }

  public List<Problem> errors() {
    return collected.stream().filter(Problem::isError).toList();
  }

  public List<Problem> warnings() {
    return collected.stream().filter(problem -> !problem.isError()).toList();
  }

  /** Throws a {@link FoundryException} with every problem when any of them is an error. */
  public void throwIfErrors(ErrorCode code, String message) {
    if (hasErrors()) {
      throw new FoundryException(code, message, all());
    }
  }
}
