package org.openfoundry.ontology;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A question about an asset or an object: radio (one option), checklist (several) or free text. */
public record Classification(
    String name, String instructions, FeatureKind kind, boolean required, List<Option> options)
    implements Feature {

  public Classification {
    requireNonNull(name, "name is null");
    requireNonNull(instructions, "instructions is null");
    requireNonNull(kind, "kind is null");
    if (!kind.isClassification()) {
      throw new IllegalArgumentException(
          "classification " + name + " has a tool kind: " + kind.word());
    }
    options = List.copyOf(options);
  }

  public static Classification radio(String name, String... values) {
    return new Classification(
        name, name, FeatureKind.RADIO, false, List.of(values).stream().map(Option::of).toList());
  }

  public static Classification checklist(String name, String... values) {
    return new Classification(
        name,
        name,
        FeatureKind.CHECKLIST,
        false,
        List.of(values).stream().map(Option::of).toList());
  }

  public static Classification text(String name) {
    return new Classification(name, name, FeatureKind.TEXT, false, List.of());
  }

  /** Finds an option by value, then by label, case-insensitively. */
  public Optional<Option> option(String answer) {
    if (answer == null) {
      return Optional.empty();
    }
    String wanted = answer.trim().toLowerCase(Locale.ROOT);
    return options.stream()
        .filter(option -> option.value().toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst()
        .or(
            () ->
                options.stream()
                    .filter(option -> option.label().toLowerCase(Locale.ROOT).equals(wanted))
                    .findFirst());
  }
}
