package org.openfoundry.predictions;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openfoundry.problems.Problem;

/**
 * What was read from one response: the valid predictions in response order, every warning and error
 * with its path, and how many predictions per feature were dropped for scoring under the run's
 * confidence threshold.
 */
public record ParseReport(
    List<Prediction> predictions, List<Problem> problems, Map<String, Integer> droppedByFeature) {

  public ParseReport {
    predictions = List.copyOf(predictions);
    problems = List.copyOf(problems);
    requireNonNull(droppedByFeature, "droppedByFeature is null");
    droppedByFeature = Collections.unmodifiableMap(new LinkedHashMap<>(droppedByFeature));
  }

  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).toList();
  }

  public List<Problem> warnings() {
    return problems.stream().filter(problem -> !problem.isError()).toList();
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  /** How many scored predictions fell under the confidence threshold, over all features. */
  public int droppedUnderConfidence() {
    return droppedByFeature.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The predictions of one feature, in response order. */
  public List<Prediction> predictionsOf(String feature) {
    return predictions.stream().filter(prediction -> prediction.feature().equals(feature)).toList();
  }
}
