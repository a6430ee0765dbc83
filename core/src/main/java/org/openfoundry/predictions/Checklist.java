package org.openfoundry.predictions;

import java.util.List;
import java.util.OptionalDouble;

/** The options chosen for a checklist question, in the order the model gave them. */
public record Checklist(String feature, List<Choice> choices, OptionalDouble score)
    implements ClassificationAnswer {

  public Checklist {
    Checks.feature(feature);
    choices = List.copyOf(choices);
    Checks.score(score);
  }

  /** The chosen options' ontology values. */
  public List<String> values() {
    return choices.stream().map(Choice::value).toList();
  }
}
