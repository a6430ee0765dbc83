package org.openfoundry.manifest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import org.openfoundry.problems.TreeReader;

/**
 * Where each path of a document was written: the key of a mapping entry, the start of a list
 * element. A problem about a path that was not written (a missing key, say) is placed at its
 * nearest written ancestor.
 */
final class SourceMap {
  private final Map<String, SourcePosition> positions = new HashMap<>();

  void put(String path, SourcePosition position) {
    positions.putIfAbsent(path, position);
  }

  Optional<SourcePosition> find(String path) {
    String current = path;
    while (true) {
      SourcePosition position = positions.get(current);
      if (position != null) {
        return Optional.of(position);
      }
      if (current.isEmpty()) {
        return Optional.empty();
      }
      current = TreeReader.parent(current);
    }
  }

  Problem locate(Problem problem) {
    if (problem.position().isPresent()) {
      return problem;
    }
    return find(problem.path()).map(problem::at).orElse(problem);
  }
}
