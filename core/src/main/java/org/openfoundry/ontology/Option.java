package org.openfoundry.ontology;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One answer of a radio or checklist classification, possibly with nested classifications. */
public record Option(String label, String value, int position, List<Classification> options) {
  public Option {
    requireNonNull(label, "label is null");
    requireNonNull(value, "value is null");
    options = List.copyOf(options);
  }

  public static Option of(String value) {
    return new Option(value, value, 0, List.of());
  }
}
