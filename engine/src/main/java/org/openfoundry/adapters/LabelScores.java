package org.openfoundry.adapters;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scored labels of a classifier answered as a classification of the ontology: the top label for a
 * radio, every label at or above the threshold for a checklist, each label mapped to the option it
 * names (by value, then label) where there is one.
 */
final class LabelScores {
  record Scored(String label, double score) {}

  private final Optional<String> classification;
  private final Map<String, String> labelMap;

  LabelScores(Optional<String> classification, Map<String, String> labelMap) {
    this.classification = classification;
    this.labelMap = labelMap;
  }

  String mapped(String label) {
    return labelMap.getOrDefault(label, label);
  }

  ObjectNode answer(
      List<Scored> scored, Ontology ontology, double threshold, String path, Call call) {
    Classification target = target(ontology, path, call);
    List<Scored> ranked =
        scored.stream().sorted(Comparator.comparingDouble(Scored::score).reversed()).toList();
    ObjectNode response = Json.object();
    if (target.kind() == FeatureKind.CHECKLIST) {
      ArrayNode values = response.putArray(target.name());
      ranked.stream()
          .filter(label -> label.score() >= threshold)
          .forEach(label -> values.add(optionValue(target, label.label())));
      return response;
    }
    if (ranked.isEmpty()) {
      throw call.invalid(path, "expected at least one scored label, got none");
    }
    response.put(target.name(), optionValue(target, ranked.getFirst().label()));
    return response;
  }

  private String optionValue(Classification target, String label) {
    String wanted = mapped(label);
    return target.option(wanted).map(Option::value).orElse(wanted);
  }

  private Classification target(Ontology ontology, String path, Call call) {
    if (classification.isPresent()) {
      Optional<Feature> feature = ontology.feature(classification.get());
      if (feature.isPresent()
          && feature.get() instanceof Classification named
          && (named.kind() == FeatureKind.RADIO || named.kind() == FeatureKind.CHECKLIST)) {
        return named;
      }
      // Not in the run's ontology: answered as a radio, for the parser to report.
      return Classification.radio(classification.get());
    }
    List<Classification> choices =
        ontology.classifications().stream()
            .filter(
                candidate ->
                    candidate.kind() == FeatureKind.RADIO
                        || candidate.kind() == FeatureKind.CHECKLIST)
            .toList();
    if (choices.size() != 1) {
      throw call.invalid(
          path,
          "the model answered scored labels, but the ontology has "
              + choices.size()
              + " radio or checklist classifications to put them in: set"
              + " adapter_options.classification");
    }
    return choices.getFirst();
  }
}
