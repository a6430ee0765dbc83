package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/** The answer to a free-text question. */
public record FreeText(String feature, String text, OptionalDouble score)
    implements ClassificationAnswer {

  public FreeText {
    Checks.feature(feature);
    requireNonNull(text, "text is null");
    Checks.score(score);
  }
}
