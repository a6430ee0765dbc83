package org.openfoundry.examples.language;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Option;

/**
 * Names of languages: the detector speaks ISO 639-3 ({@code deu}); an ontology's options may use
 * ISO 639-1 ({@code de}), 639-3 or the English name ({@code German}).
 */
final class Languages {
  static final String OTHER = "other";

  private static final Map<String, Locale> BY_THREE_LETTERS = threeLetterCodes();

  private Languages() {}

  /** The words an option may use for a detected language, best first. */
  static List<String> names(String code) {
    Locale locale = BY_THREE_LETTERS.get(code);
    if (locale == null) {
      return List.of(code);
    }
    return Stream.of(locale.getLanguage(), code, locale.getDisplayLanguage(Locale.ENGLISH))
        .distinct()
        .toList();
  }

  /**
   * The option of {@code classification} that names the language, else its {@code other} option;
   * with no options at all, the ISO 639-1 code (639-3 where there is none).
   */
  static Optional<String> answer(Classification classification, String code) {
    List<String> names = names(code);
    if (classification.options().isEmpty()) {
      return Optional.of(names.getFirst());
    }
    return names.stream()
        .map(classification::option)
        .flatMap(Optional::stream)
        .findFirst()
        .or(() -> classification.option(OTHER))
        .map(Option::value);
  }

  private static Map<String, Locale> threeLetterCodes() {
    Map<String, Locale> codes = new HashMap<>();
    for (String twoLetters : Locale.getISOLanguages()) {
      Locale locale = Locale.of(twoLetters);
      try {
        codes.putIfAbsent(locale.getISO3Language(), locale);
      } catch (MissingResourceException e) {
        // A language without a three-letter code cannot come out of the detector.
      }
    }
    return Map.copyOf(codes);
  }
}
