package org.openfoundry.comparisons;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of judgment, with their word in the API, their Labelbox {@code messageEvaluationTask}
 * format and the feature name used when a judgment names none.
 */
public enum VerdictKind {
  SINGLE_SELECTION("message-single-selection", "single-selection"),
  MULTI_SELECTION("message-multi-selection", "multi-selection"),
  RANKING("message-ranking", "ranking");

  private final String labelboxFormat;
  private final String defaultFeature;

  VerdictKind(String labelboxFormat, String defaultFeature) {
    this.labelboxFormat = labelboxFormat;
    this.defaultFeature = defaultFeature;
  }

  /** {@code single_selection}, {@code multi_selection}, {@code ranking}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String labelboxFormat() {
    return labelboxFormat;
  }

  public String defaultFeature() {
    return defaultFeature;
  }

  /** Accepts the word in any case, with a hyphen or an underscore. */
  public static Optional<VerdictKind> parse(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String wanted = word.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(kind -> kind.name().equals(wanted)).findFirst();
  }
}
