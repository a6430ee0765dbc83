package org.openfoundry.comparisons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes judgments as Labelbox {@code messageEvaluationTask} annotations, one NDJSON line each: the
 * comparison as the data row (by global key), the judgment's feature as {@code name}, a UUID
 * derived from the judgment's id (the same on every export), and the verdict in the format of its
 * kind. Answers are named by their message id and {@code modelConfigName} ({@code <model name>
 * v<version>}); their parent is the comparison's last prompt message.
 */
public final class LabelboxExport {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private LabelboxExport() {}

  /** Writes one line per judgment of the comparison, in the order they were made. */
  public static void write(Comparison comparison, Writer out) {
    for (Judgment judgment : comparison.judgments()) {
      try {
        out.write(MAPPER.writeValueAsString(annotation(comparison, judgment)));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the export", e);
      }
    }
  }

  /** The annotation of one judgment. */
  public static ObjectNode annotation(Comparison comparison, Judgment judgment) {
    ObjectNode line = MAPPER.createObjectNode();
    line.putObject("dataRow").put("globalKey", comparison.exportKey());
    line.put("uuid", uuid(judgment.id()).toString());
    line.put("name", judgment.feature());
    ObjectNode task = line.putObject("messageEvaluationTask");
    task.put("format", judgment.verdict().kind().labelboxFormat());
    ObjectNode data = task.putObject("data");
    String parent = comparison.promptMessageId().value();
    switch (judgment.verdict()) {
      case Verdict.SingleSelection single -> {
        message(data, comparison, single.selected());
        data.put("parentMessageId", parent);
      }
      case Verdict.MultiSelection multi -> {
        data.put("parentMessageId", parent);
        messages(data.putArray("selectedMessages"), comparison, multi.selected(), false);
      }
      case Verdict.Ranking ranking -> {
        data.put("parentMessageId", parent);
        messages(data.putArray("rankedMessages"), comparison, ranking.bestFirst(), true);
      }
    }
    return line;
  }

  /** The model config name an answer is exported under. */
  public static String modelConfigName(Answer answer) {
    return answer.model().name() + " v" + answer.model().version();
  }

  static UUID uuid(JudgmentId id) {
    return UUID.nameUUIDFromBytes(id.value().getBytes(StandardCharsets.UTF_8));
  }

  private static void messages(
      ArrayNode array, Comparison comparison, List<MessageId> ids, boolean ordered) {
    for (int index = 0; index < ids.size(); index++) {
      ObjectNode entry = array.addObject();
      message(entry, comparison, ids.get(index));
      if (ordered) {
        entry.put("order", index + 1);
      }
    }
  }

  private static void message(ObjectNode node, Comparison comparison, MessageId id) {
    Answer answer =
        comparison
            .answer(id)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "comparison " + comparison.id() + " has no answer " + id));
    node.put("messageId", id.value());
    node.put("modelConfigName", modelConfigName(answer));
  }
}
