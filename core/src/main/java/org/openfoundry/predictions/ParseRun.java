package org.openfoundry.predictions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;

/** The state of reading one response: the context, what was kept, and what was wrong. */
final class ParseRun {
  private final ParseContext context;
  private final FeatureResolver resolver;
  private final Problems problems = new Problems();
  private final List<Prediction> predictions = new ArrayList<>();
  private final Map<String, Integer> dropped = new LinkedHashMap<>();
  private final Set<String> warnedOnce = new HashSet<>();
  private final Set<String> answered = new HashSet<>();

  ParseRun(ParseContext context) {
    this.context = context;
    this.resolver = new FeatureResolver(context.ontology(), context.classMapping());
  }

  ParseContext context() {
    return context;
  }

  FeatureResolver resolver() {
    return resolver;
  }

  void problem(Problem problem) {
    problems.add(problem);
  }

  void error(String path, String message) {
    problems.error(path, message);
  }

  void warning(String path, String message) {
    problems.warning(path, message);
  }

  /** A warning that would say the same for every item: given once per response. */
  void warningOnce(String topic, String path, String message) {
    if (warnedOnce.add(topic)) {
      problems.warning(path, message);
    }
  }

  /**
   * Keeps a top-level prediction read at {@code path}, unless it is scored under the run's
   * confidence threshold or answers a question already answered.
   */
  void accept(Prediction prediction, String path) {
    if (prediction instanceof ClassificationAnswer && !answered.add(prediction.feature())) {
      problems.error(
          path,
          "a second answer to question "
              + prediction.feature()
              + "; a question takes one answer, and the first one is kept");
      return;
    }
    OptionalDouble threshold = context.confidence();
    OptionalDouble score = prediction.score();
    if (threshold.isPresent()
        && score.isPresent()
        && score.getAsDouble() < threshold.getAsDouble()) {
      dropped.merge(prediction.feature(), 1, Integer::sum);
      return;
    }
    predictions.add(prediction);
  }

  ParseReport report() {
    dropped.forEach(
        (feature, count) ->
            problems.warning(
                feature,
                "dropped "
                    + count
                    + (count == 1 ? " prediction" : " predictions")
                    + " scored under the confidence threshold "
                    + Values.format(context.confidence().orElseThrow())));
    return new ParseReport(predictions, problems.all(), dropped);
  }
}
