package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatModel;
import org.openfoundry.directrun.ChatOutcome;

/** One model's answer in a comparison, or its failure, under the message id judgments use. */
public record Answer(MessageId id, ChatOutcome outcome) {
  public Answer {
    requireNonNull(id, "id is null");
    requireNonNull(outcome, "outcome is null");
  }

  public ChatModel model() {
    return outcome.model();
  }

  /** Whether the model answered: only answers can be picked or ranked. */
  public boolean answered() {
    return outcome instanceof ChatAnswer;
  }
}
