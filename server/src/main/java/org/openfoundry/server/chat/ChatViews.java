package org.openfoundry.server.chat;

import java.util.List;
import org.openfoundry.chat.ChatRequest;
import org.openfoundry.comparisons.Answer;
import org.openfoundry.comparisons.Comparison;
import org.openfoundry.comparisons.Judgment;
import org.openfoundry.comparisons.MessageId;
import org.openfoundry.comparisons.Standing;
import org.openfoundry.comparisons.Verdict;
import org.openfoundry.comparisons.WinReport;
import org.openfoundry.directrun.ChatAnswer;
import org.openfoundry.directrun.ChatFailure;
import org.openfoundry.directrun.ChatModel;
import org.openfoundry.directrun.ChatOutcome;
import org.openfoundry.paging.Page;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * How answers, comparisons, judgments and reports are written on the API. A raw response is written
 * into the answer byte for byte, as the endpoint sent it.
 */
final class ChatViews {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChatViews() {}

  /** One model's answer or failure; {@code withRaw} false leaves the raw response out. */
  static ObjectNode outcome(ChatOutcome outcome, boolean withRaw) {
    ObjectNode view = NODES.objectNode();
    model(view, outcome.model());
    switch (outcome) {
      case ChatAnswer answer -> {
        view.put("outcome", "answered");
        view.put("status", answer.status());
        answer.assistantText().ifPresent(text -> view.put("assistant_text", text));
        if (withRaw) {
          view.putRawValue("raw_response", new RawValue(answer.rawResponse()));
        }
        answer
            .usage()
            .ifPresent(
                usage ->
                    view.putObject("usage")
                        .put("input_tokens", usage.inputTokens())
                        .put("output_tokens", usage.outputTokens())
                        .put("total_tokens", usage.totalTokens()));
        view.put("latency_ms", answer.latency().toMillis());
      }
      case ChatFailure failure -> {
        view.put("outcome", "failed");
        failure.status().ifPresent(status -> view.put("status", status));
        view.putObject("error")
            .put("code", failure.code().name())
            .put("message", failure.message());
      }
    }
    view.put("attempts", outcome.attempts());
    view.put("elapsed_ms", outcome.elapsed().toMillis());
    return view;
  }

  static ObjectNode comparison(Comparison comparison, boolean full) {
    ObjectNode view = NODES.objectNode();
    view.put("id", comparison.id().value());
    comparison.globalKey().ifPresent(key -> view.put("global_key", key));
    view.put("created_at", comparison.createdAt().toString());
    view.put("prompt_message_id", comparison.promptMessageId().value());
    if (full) {
      view.set(
          "conversation",
          new ChatRequest(comparison.conversation(), comparison.inferenceParams()).toJson());
    } else {
      view.set("inference_params", comparison.inferenceParams());
    }
    ArrayNode answers = view.putArray("answers");
    for (Answer answer : comparison.answers()) {
      ObjectNode item = NODES.objectNode().put("message_id", answer.id().value());
      item.setAll(outcome(answer.outcome(), full));
      answers.add(item);
    }
    ArrayNode judgments = view.putArray("judgments");
    comparison.judgments().forEach(judgment -> judgments.add(judgment(judgment)));
    return view;
  }

  static ObjectNode page(Page<Comparison> page) {
    ObjectNode view = NODES.objectNode();
    ArrayNode items = view.putArray("items");
    page.items().forEach(comparison -> items.add(comparison(comparison, false)));
    page.next().ifPresent(cursor -> view.put("next_cursor", cursor));
    return view;
  }

  static ObjectNode judgment(Judgment judgment) {
    ObjectNode view = NODES.objectNode();
    view.put("id", judgment.id().value());
    view.put("comparison_id", judgment.comparisonId().value());
    view.put("kind", judgment.verdict().kind().word());
    view.put("feature", judgment.feature());
    switch (judgment.verdict()) {
      case Verdict.SingleSelection single -> view.put("selected", single.selected().value());
      case Verdict.MultiSelection multi -> ids(view.putArray("selected"), multi.selected());
      case Verdict.Ranking ranking -> ids(view.putArray("ranking"), ranking.bestFirst());
    }
    judgment.judge().ifPresent(judge -> view.put("judge", judge));
    view.put("created_at", judgment.createdAt().toString());
    return view;
  }

  static ObjectNode report(WinReport report) {
    ObjectNode view = NODES.objectNode();
    view.put("comparisons", report.comparisons());
    view.put("judgments", report.judgments());
    ArrayNode models = view.putArray("models");
    for (Standing standing : report.standings()) {
      ObjectNode item = models.addObject();
      model(item, standing.model());
      item.put("appearances", standing.appearances());
      item.put("wins", standing.wins());
      if (standing.winRate().isPresent()) {
        item.put("win_rate", round(standing.winRate().getAsDouble()));
      } else {
        item.putNull("win_rate");
      }
      item.put("rankings", standing.rankings());
      standing.meanRank().ifPresent(rank -> item.put("mean_rank", round(rank)));
      item.put("failed_answers", standing.failedAnswers());
    }
    return view;
  }

  private static void model(ObjectNode view, ChatModel model) {
    view.put("model_id", model.id().value());
    view.put("model_name", model.name());
    view.put("model_version", model.version());
    view.put("model_version_id", model.versionId().value());
  }

  private static void ids(ArrayNode array, List<MessageId> ids) {
    ids.forEach(id -> array.add(id.value()));
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
