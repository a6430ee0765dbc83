package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import tools.jackson.databind.JsonNode;

/**
 * What a response is read against: the run's ontology, the mapping from the model's class names to
 * ontology feature names (consulted before names are matched), the row text for entity spans, the
 * image size for clipping, and the run's {@code confidence} threshold.
 */
public record ParseContext(
    Ontology ontology,
    Map<String, String> classMapping,
    Optional<String> rowText,
    Optional<ImageSize> imageSize,
    OptionalDouble confidence) {

  public ParseContext {
    requireNonNull(ontology, "ontology is null");
    classMapping = Map.copyOf(classMapping);
    requireNonNull(rowText, "rowText is null");
    requireNonNull(imageSize, "imageSize is null");
    requireNonNull(confidence, "confidence is null");
    if (confidence.isPresent()) {
      double threshold = confidence.getAsDouble();
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "confidence threshold must be between 0 and 1, got " + threshold);
      }
    }
  }

  /** A context with only the ontology: no mapping, row text, image size or threshold. */
  public static ParseContext of(Ontology ontology) {
    return new ParseContext(
        ontology, Map.of(), Optional.empty(), Optional.empty(), OptionalDouble.empty());
  }

  public ParseContext withClassMapping(Map<String, String> mapping) {
    return new ParseContext(ontology, mapping, rowText, imageSize, confidence);
  }

  public ParseContext withRowText(String text) {
    return new ParseContext(ontology, classMapping, Optional.of(text), imageSize, confidence);
  }

  public ParseContext withImageSize(ImageSize size) {
    return new ParseContext(ontology, classMapping, rowText, Optional.of(size), confidence);
  }

  /**
   * Takes the threshold from a run's resolved inference parameters: their {@code confidence}, when
   * it is a number; without one, nothing is dropped.
   *
   * @throws FoundryException {@code INVALID_PARAMETERS} when {@code confidence} is a number outside
   *     0 to 1
   */
  public ParseContext withInferenceParams(JsonNode params) {
    JsonNode confidence = params == null ? null : params.get("confidence");
    if (confidence == null || !confidence.isNumber()) {
      return this;
    }
    double threshold = confidence.doubleValue();
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new FoundryException(
          ErrorCode.INVALID_PARAMETERS,
          "confidence: expected a threshold between 0 and 1, got " + confidence);
    }
    return withConfidence(threshold);
  }

  /** Predictions scored under {@code threshold} are dropped and counted. */
  public ParseContext withConfidence(double threshold) {
    return new ParseContext(
        ontology, classMapping, rowText, imageSize, OptionalDouble.of(threshold));
  }
}
