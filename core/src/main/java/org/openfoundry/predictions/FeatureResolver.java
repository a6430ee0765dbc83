package org.openfoundry.predictions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.problems.Suggestions;

/**
 * Finds the ontology feature a response names: through the class mapping first (the model's class
 * name to a feature name), then by the feature's own name, exactly and then ignoring case.
 */
final class FeatureResolver {
  private final Ontology ontology;
  private final Map<String, String> mapping;
  private final Map<String, Feature> byExactName = new HashMap<>();

  FeatureResolver(Ontology ontology, Map<String, String> mapping) {
    this.ontology = ontology;
    this.mapping = mapping;
    for (Feature feature : ontology.features()) {
      byExactName.putIfAbsent(feature.name(), feature);
    }
  }

  Optional<Feature> resolve(String name) {
    String wanted = mapping.isEmpty() ? name : mapped(name).orElse(name);
    // Most responses spell names exactly; the ontology's own lookup handles the rest.
    Feature exact = byExactName.get(wanted);
    return exact != null ? Optional.of(exact) : ontology.feature(wanted);
  }

  /** Why {@code name} names no feature, with the features there are and the likeliest one. */
  String unknown(String name) {
    List<String> names = ontology.features().stream().map(Feature::name).toList();
    if (names.isEmpty()) {
      return "unknown feature \"" + name + "\": the run's ontology has no features";
    }
    Optional<String> target = mapped(name);
    if (target.isPresent()) {
      return "class \""
          + name
          + "\" is mapped to \""
          + target.get()
          + "\", which is not a feature of the ontology; expected one of "
          + Values.list(names)
          + Suggestions.didYouMean(target.get(), names);
    }
    List<String> known = Stream.concat(names.stream(), mapping.keySet().stream().sorted()).toList();
    return "unknown feature \""
        + name
        + "\": expected one of "
        + Values.list(names)
        + Suggestions.didYouMean(name, known);
  }

  private Optional<String> mapped(String name) {
    String exact = mapping.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    return mapping.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
