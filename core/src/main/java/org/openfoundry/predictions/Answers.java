package org.openfoundry.predictions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Option;
import org.openfoundry.problems.Suggestions;

/** Matches a model's answer to an option of a radio or checklist question. */
final class Answers {
  private Answers() {}

  /** The option {@code answer} names, by value and then by label, ignoring case. */
  static Optional<Option> option(
      Classification question, String answer, String path, ParseRun run) {
    Optional<Option> option = question.option(answer);
    if (option.isEmpty()) {
      List<String> values = question.options().stream().map(Option::value).toList();
      List<String> known =
          Stream.concat(values.stream(), question.options().stream().map(Option::label))
              .distinct()
              .toList();
      run.error(
          path,
          "unknown option "
              + Values.quote(answer)
              + " for "
              + question.kind().word()
              + " question "
              + question.name()
              + "; expected one of "
              + Values.list(values)
              + Suggestions.didYouMean(answer, known));
    }
    return option;
  }

  /** Keeps the first choice of each option, warning about the repeats. */
  static List<Choice> distinct(List<Choice> choices, String path, ParseRun run) {
    List<Choice> kept = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Choice choice : choices) {
      if (seen.contains(choice.value())) {
        run.warning(path, "option " + Values.quote(choice.value()) + " is given twice; kept once");
        continue;
      }
      seen.add(choice.value());
      kept.add(choice);
    }
    return kept;
  }
}
