package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One person's verdict on a comparison, under the Labelbox ontology feature it exports as, with who
 * gave it (the API key's id) when known.
 */
public record Judgment(
    JudgmentId id,
    ComparisonId comparisonId,
    String feature,
    Verdict verdict,
    Optional<String> judge,
    Instant createdAt) {

  public Judgment {
    requireNonNull(id, "id is null");
    requireNonNull(comparisonId, "comparisonId is null");
    requireNonNull(feature, "feature is null");
    requireNonNull(verdict, "verdict is null");
    requireNonNull(judge, "judge is null");
    requireNonNull(createdAt, "createdAt is null");
    if (feature.isBlank()) {
      throw new IllegalArgumentException("feature must not be blank");
    }
  }
}
