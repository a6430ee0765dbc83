package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One chosen option of a radio or checklist answer, by its ontology value, with the answers to the
 * questions nested under that option.
 */
public record Choice(String value, List<ClassificationAnswer> classifications) {
  public Choice {
    requireNonNull(value, "value is null");
    classifications = List.copyOf(classifications);
  }

  public static Choice of(String value) {
    return new Choice(value, List.of());
  }
}
