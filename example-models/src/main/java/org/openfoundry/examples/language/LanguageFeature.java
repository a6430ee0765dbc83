package org.openfoundry.examples.language;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;

/** What the language model predicts. */
enum LanguageFeature {
  LANGUAGE("language"),
  ENTITY("entity"),
  SUMMARY("summary"),
  CONTAINS("contains");

  static final String NAMES = "names";
  static final String NUMBERS = "numbers";
  static final String QUESTION = "question";

  /** The languages the bundled manifest offers, with their ISO 639-1 codes as values. */
  static final List<Option> LANGUAGE_OPTIONS =
      List.of(
          new Option("English", "en", 0, List.of()),
          new Option("German", "de", 1, List.of()),
          new Option("French", "fr", 2, List.of()),
          new Option("Spanish", "es", 3, List.of()),
          new Option("Italian", "it", 4, List.of()),
          new Option("Portuguese", "pt", 5, List.of()),
          new Option("Dutch", "nl", 6, List.of()),
          new Option("Other", Languages.OTHER, 7, List.of()));

  private final String featureName;

  LanguageFeature(String featureName) {
    this.featureName = featureName;
  }

  static Optional<LanguageFeature> named(String name) {
    return Arrays.stream(values())
        .filter(feature -> feature.featureName.equalsIgnoreCase(name))
        .findFirst();
  }

  Feature toFeature() {
    return switch (this) {
      case LANGUAGE ->
          new Classification(
              featureName,
              "Which language is the text written in?",
              FeatureKind.RADIO,
              false,
              LANGUAGE_OPTIONS);
      case ENTITY -> Tool.of(featureName, FeatureKind.NAMED_ENTITY);
      case SUMMARY ->
          new Classification(
              featureName, "The lead sentence of the text.", FeatureKind.TEXT, false, List.of());
      case CONTAINS ->
          new Classification(
              featureName,
              "What does the text contain?",
              FeatureKind.CHECKLIST,
              false,
              List.of(
                  new Option("Names", NAMES, 0, List.of()),
                  new Option("Numbers", NUMBERS, 1, List.of()),
                  new Option("A question", QUESTION, 2, List.of())));
    };
  }
}
