package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import org.openfoundry.directrun.ChatModel;

/**
 * How one model version fared over every judgment: {@code appearances} counts the judgments where
 * it had an answer to judge, {@code wins} those where it was picked (a single selection, one of a
 * multi selection, or first in a ranking); {@code meanRank} is its mean place over rankings (1 is
 * best); {@code failedAnswers} counts the comparisons where it gave no answer.
 */
public record Standing(
    ChatModel model,
    long appearances,
    long wins,
    OptionalDouble winRate,
    long rankings,
    OptionalDouble meanRank,
    long failedAnswers) {

  public Standing {
    requireNonNull(model, "model is null");
    requireNonNull(winRate, "winRate is null");
    requireNonNull(meanRank, "meanRank is null");
    if (appearances < 0 || wins < 0 || wins > appearances || rankings < 0 || failedAnswers < 0) {
      throw new IllegalArgumentException(
          "inconsistent counts: "
              + appearances
              + " appearances, "
              + wins
              + " wins, "
              + rankings
              + " rankings, "
              + failedAnswers
              + " failed answers");
    }
  }
}
