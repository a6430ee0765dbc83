package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;

/** Invariants shared by the prediction records' compact constructors. */
final class Checks {
  private Checks() {}

  static String feature(String feature) {
    requireNonNull(feature, "feature is null");
    if (feature.isBlank()) {
      throw new IllegalArgumentException("feature is blank");
    }
    return feature;
  }

  static OptionalDouble score(OptionalDouble score) {
    requireNonNull(score, "score is null");
    if (score.isPresent()) {
      double value = score.getAsDouble();
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("score must be between 0 and 1, got " + value);
      }
    }
    return score;
  }

  static double coordinate(String name, double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  static double extent(String name, double value) {
    if (!Double.isFinite(value) || value <= 0) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
    return value;
  }
}
