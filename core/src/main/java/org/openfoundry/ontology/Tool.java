package org.openfoundry.ontology;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** A tool marks a region of an asset: a box, a mask, a polygon, a point, a line or a text span. */
public record Tool(
    String name, FeatureKind kind, Optional<String> color, List<Classification> classifications)
    implements Feature {

  public Tool {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(color, "color is null");
    if (!kind.isTool()) {
      throw new IllegalArgumentException("tool " + name + " has a classification kind: " + kind);
    }
    classifications = List.copyOf(classifications);
  }

  public static Tool of(String name, FeatureKind kind) {
    return new Tool(name, kind, Optional.empty(), List.of());
  }
}
