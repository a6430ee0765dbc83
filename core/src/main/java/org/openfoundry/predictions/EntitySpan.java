package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A named entity: the characters {@code [start, end)} of the row text, counted in UTF-16 code units
 * (Java {@code String} indices), and the text they cover.
 */
public record EntitySpan(
    String feature,
    int start,
    int end,
    String text,
    OptionalDouble score,
    List<ClassificationAnswer> classifications)
    implements ObjectPrediction {

  public EntitySpan {
    Checks.feature(feature);
    requireNonNull(text, "text is null");
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException(
          "a span needs 0 <= start < end, got " + start + ".." + end);
    }
    Checks.score(score);
    classifications = List.copyOf(classifications);
  }

  public int length() {
    return end - start;
  }
}
