package org.openfoundry.cli.demo;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.predictions.PredictionText;
import org.openfoundry.cli.runs.Progress;
import org.openfoundry.cli.runs.RunTimes;
import tools.jackson.databind.JsonNode;

/**
 * What the demo's runs found: per run its outcome and time, how many predictions of each feature,
 * and a few rows in words, chosen so that together they show every feature the run predicted.
 */
final class DemoSummary {
  static final int ROWS_SHOWN = 3;

  private DemoSummary() {}

  /** A finished run of the demo, with what it ran over. */
  record DemoRun(String modelName, String datasetName, String runId, Progress progress) {}

  static void print(
      FoundryClient client, List<DemoRun> runs, Map<String, String> texts, PrintWriter out) {
    for (DemoRun run : runs) {
      JsonNode details = client.get("/api/v1/runs/" + FoundryClient.segment(run.runId()));
      Progress.Counts counts = run.progress().counts();
      out.println(
          run.modelName()
              + " over "
              + run.datasetName()
              + ": "
              + run.progress().state().name()
              + ", "
              + counts.succeeded()
              + " of "
              + counts.total()
              + " rows "
              + RunTimes.describe(details, counts.done())
              + (counts.failed() > 0 ? " (" + counts.failed() + " failed)" : ""));
      List<JsonNode> lines = predictions(client, run.runId());
      out.println("  found: " + PredictionText.countByFeature(lines));
      Map<String, List<JsonNode>> byRow = byRow(lines);
      for (String row : pick(byRow)) {
        out.println(
            "  "
                + row
                + ": "
                + PredictionText.summarizeRow(byRow.get(row), Optional.ofNullable(texts.get(row))));
      }
      out.println();
    }
    out.flush();
  }

  /** The run's predictions as the NDJSON export gives them. */
  static List<JsonNode> predictions(FoundryClient client, String runId) {
    StringWriter ndjson = new StringWriter();
    client.downloadText(
        "/api/v1/runs/" + FoundryClient.segment(runId) + "/predictions?format=ndjson", ndjson);
    return ndjson
        .toString()
        .lines()
        .filter(line -> !line.isBlank())
        .map(line -> client.mapper().readTree(line))
        .toList();
  }

  static Map<String, List<JsonNode>> byRow(List<JsonNode> lines) {
    Map<String, List<JsonNode>> byRow = new LinkedHashMap<>();
    for (JsonNode line : lines) {
      byRow.computeIfAbsent(PredictionText.rowKey(line), key -> new ArrayList<>()).add(line);
    }
    return byRow;
  }

  /**
   * Up to {@link #ROWS_SHOWN} rows, each the one that shows the most features not shown yet, then
   * the most answers not shown yet (a German text after an English one, a cloudy scene after a
   * clear one); the earlier row on a tie.
   */
  static List<String> pick(Map<String, List<JsonNode>> byRow) {
    List<String> picked = new ArrayList<>();
    Set<String> shownFeatures = new HashSet<>();
    Set<String> shownAnswers = new HashSet<>();
    while (picked.size() < ROWS_SHOWN && picked.size() < byRow.size()) {
      String best = null;
      long bestScore = -1;
      for (Map.Entry<String, List<JsonNode>> row : byRow.entrySet()) {
        if (picked.contains(row.getKey())) {
          continue;
        }
        Set<String> features = features(row.getValue());
        features.removeAll(shownFeatures);
        Set<String> answers = answers(row.getValue());
        answers.removeAll(shownAnswers);
        long score = features.size() * 1_000L + answers.size();
        if (score > bestScore) {
          best = row.getKey();
          bestScore = score;
        }
      }
      picked.add(best);
      shownFeatures.addAll(features(byRow.get(best)));
      shownAnswers.addAll(answers(byRow.get(best)));
    }
    return picked;
  }

  private static Set<String> features(List<JsonNode> lines) {
    Set<String> features = new HashSet<>();
    lines.forEach(line -> features.add(line.path("name").asString("")));
    return features;
  }

  /** The options chosen by radio and checklist answers, as {@code feature=value}. */
  private static Set<String> answers(List<JsonNode> lines) {
    Set<String> answers = new HashSet<>();
    for (JsonNode line : lines) {
      String feature = line.path("name").asString("");
      JsonNode answer = line.path("answer");
      if (answer.isObject()) {
        answers.add(feature + "=" + answer.path("name").asString(""));
      }
      for (JsonNode choice : answer.isArray() ? answer : List.<JsonNode>of()) {
        answers.add(feature + "=" + choice.path("name").asString(""));
      }
    }
    return answers;
  }
}
