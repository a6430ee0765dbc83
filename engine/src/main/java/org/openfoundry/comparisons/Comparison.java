package org.openfoundry.comparisons;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openfoundry.chat.Conversation;
import org.openfoundry.models.ModelId;
import tools.jackson.databind.node.ObjectNode;

/**
 * One conversation sent to several models side by side: the conversation and the parameters sent,
 * the id of its last prompt message (the parent of every answer), each model's answer in the order
 * asked, and the judgments made since. {@code globalKey} names it in exports.
 */
public record Comparison(
    ComparisonId id,
    Optional<String> globalKey,
    MessageId promptMessageId,
    Conversation conversation,
    ObjectNode inferenceParams,
    List<Answer> answers,
    List<Judgment> judgments,
    Instant createdAt) {

  public Comparison {
    requireNonNull(id, "id is null");
    requireNonNull(globalKey, "globalKey is null");
    requireNonNull(promptMessageId, "promptMessageId is null");
    requireNonNull(conversation, "conversation is null");
    inferenceParams = requireNonNull(inferenceParams, "inferenceParams is null").deepCopy();
    answers = List.copyOf(answers);
    judgments = List.copyOf(judgments);
    requireNonNull(createdAt, "createdAt is null");
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("a comparison has at least one answer");
    }
  }

  @Override
  public ObjectNode inferenceParams() {
    return inferenceParams.deepCopy();
  }

  /** The key its exports name it by: the global key given, else its id. */
  public String exportKey() {
    return globalKey.orElse(id.value());
  }

  public Optional<Answer> answer(MessageId id) {
    return answers.stream().filter(answer -> answer.id().equals(id)).findFirst();
  }

  public Optional<Answer> answerOf(ModelId model) {
    return answers.stream().filter(answer -> answer.model().id().equals(model)).findFirst();
  }

  /** This comparison with one more judgment. */
  public Comparison withJudgment(Judgment judgment) {
    List<Judgment> more = new ArrayList<>(judgments);
    more.add(judgment);
    return new Comparison(
        id, globalKey, promptMessageId, conversation, inferenceParams, answers, more, createdAt);
  }
}
