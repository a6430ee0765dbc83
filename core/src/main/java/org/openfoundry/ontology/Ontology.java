package org.openfoundry.ontology;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The features a model run predicts into. Feature names are unique across tools and top-level
 * classifications (the task response is keyed by them).
 */
public record Ontology(
    Optional<AssetType> mediaType, List<Tool> tools, List<Classification> classifications) {

  public Ontology {
    requireNonNull(mediaType, "mediaType is null");
    tools = List.copyOf(tools);
    classifications = List.copyOf(classifications);
  }

  public static Ontology empty() {
    return new Ontology(Optional.empty(), List.of(), List.of());
  }

  /** Tools first, then classifications, in declaration order. */
  public List<Feature> features() {
    return Stream.concat(tools.stream(), classifications.stream())
        .map(Feature.class::cast)
        .toList();
  }

  /** Exact name match first, then case-insensitive. */
  public Optional<Feature> feature(String name) {
    List<Feature> all = features();
    return all.stream()
        .filter(feature -> feature.name().equals(name))
        .findFirst()
        .or(
            () ->
                all.stream().filter(feature -> feature.name().equalsIgnoreCase(name)).findFirst());
  }

  public boolean isEmpty() {
    return tools.isEmpty() && classifications.isEmpty();
  }
}
