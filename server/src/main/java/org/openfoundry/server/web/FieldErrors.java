package org.openfoundry.server.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;

/**
 * The problems of a refused form, placed next to the fields they name; problems of no field on the
 * form are listed above it. Messages are the server's own, the same the API answers with.
 */
record FieldErrors(Map<String, String> byField, List<String> general) {
  FieldErrors {
    byField = Map.copyOf(byField);
    general = List.copyOf(general);
  }

  static FieldErrors none() {
    return new FieldErrors(Map.of(), List.of());
  }

  /**
   * Sorts the exception's problems onto {@code fields}; a path {@code a.b} belongs to {@code a}.
   */
  static FieldErrors of(FoundryException failure, Collection<String> fields) {
    Map<String, String> byField = new LinkedHashMap<>();
    List<String> general = new ArrayList<>();
    for (Problem problem : failure.problems()) {
      if (!problem.isError()) {
        continue;
      }
      String field = fieldOf(problem.path(), fields);
      if (field == null) {
        general.add(problem.path().isEmpty() ? problem.message() : problem.format());
      } else {
        byField.merge(field, problem.message(), (first, second) -> first + "; " + second);
      }
    }
    if (byField.isEmpty() && general.isEmpty()) {
      general.add(failure.getMessage());
    }
    return new FieldErrors(byField, general);
  }

  private static String fieldOf(String path, Collection<String> fields) {
    for (String field : fields) {
      if (path.equals(field) || path.startsWith(field + ".") || path.startsWith(field + "[")) {
        return field;
      }
    }
    return null;
  }

  boolean any() {
    return !byField.isEmpty() || !general.isEmpty();
  }

  /** The message for a field, or null (so that a template leaves the element out). */
  String of(String field) {
    return byField.get(field);
  }

  /** {@code aria-invalid} for a field, or null. */
  String invalid(String field) {
    return byField.containsKey(field) ? "true" : null;
  }
}
