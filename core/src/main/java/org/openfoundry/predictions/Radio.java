package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/** The one option chosen for a radio question. */
public record Radio(String feature, Choice choice, OptionalDouble score)
    implements ClassificationAnswer {

  public Radio {
    Checks.feature(feature);
    requireNonNull(choice, "choice is null");
    Checks.score(score);
  }

  /** The chosen option's ontology value. */
  public String value() {
    return choice.value();
  }
}
