package org.openfoundry.cli.models;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.cli.client.ApiException;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.predictions.PredictionText;
import org.openfoundry.cli.text.JsonText;
import org.openfoundry.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code foundry models test}: sends one sample row to a model's endpoint exactly as a run would,
 * and shows the request (its secret masked by the server), the response, the predictions read from
 * it and what did not map onto the ontology.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Send one sample row to a model as a run would, and see the request (secret masked), the"
          + " response, the predictions read from it and what did not fit the ontology.",
      "Exits 0 when the predictions were read without a problem, 1 otherwise."
    })
final class ModelTestCommand extends ServerCommand {
  private static final int LONGEST_STRING = 120;
  private static final int MOST_ITEMS = 8;
  private static final int MOST_LINES = 60;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model's id or name.")
  String model;

  @Option(
      names = "--row-data",
      required = true,
      paramLabel = "DATA",
      description = "The sample row: an image URL, or the text itself.")
  String rowData;

  @Option(names = "--global-key", paramLabel = "KEY", description = "The row's global key.")
  String globalKey;

  @Option(
      names = "--media-type",
      paramLabel = "TYPE",
      description = "image, text, ... (default: the first type the model allows).")
  String mediaType;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "An inference parameter, typed by the model's schema (confidence=0.5); may be"
              + " repeated.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--feature",
      paramLabel = "NAME",
      description = "Ask only for this feature; may be repeated.")
  List<String> features = new ArrayList<>();

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  ModelTestCommand(CliEnvironment environment) {
    super(environment);
  }

  @Override
  protected int call(FoundryClient client) {
    JsonNode found = ModelRef.resolve(client, model);
    ObjectNode body = client.object();
    ObjectNode row = body.putObject("data_row");
    row.put("row_data", rowData);
    Optional.ofNullable(globalKey).ifPresent(key -> row.put("global_key", key));
    Optional.ofNullable(mediaType).ifPresent(type -> row.put("media_type", type));
    body.set("inference_params", InferenceParams.parse(found.path("manifest"), params));
    if (!features.isEmpty()) {
      features.forEach(body.putArray("features")::add);
    }
    JsonNode answer =
        client.postJson(
            "/api/v1/models/" + FoundryClient.segment(found.path("id").asString()) + "/test", body);
    if (json) {
      printJson(answer);
    } else {
      print(answer, out());
    }
    return answer.path("outcome").asString("").equals("succeeded") ? 0 : 1;
  }

  private void print(JsonNode answer, PrintWriter out) {
    JsonNode request = answer.path("request");
    out.println("Request");
    out.println(
        "  " + request.path("method").asString("POST") + " " + request.path("url").asString(""));
    for (Map.Entry<String, JsonNode> header : request.path("headers").properties()) {
      out.println("  " + header.getKey() + ": " + header.getValue().asString(""));
    }
    out.println(block(withOntologyShort(request.path("body"))));
    JsonNode response = answer.path("response");
    if (response.isObject()) {
      out.println(
          "Response: "
              + response.path("status").asInt(0)
              + " "
              + response.path("content_type").asString("")
              + " in "
              + response.path("latency_ms").asLong(0)
              + " ms");
      out.println(block(response.path("body")));
    }
    JsonNode predictions = answer.path("predictions");
    if (predictions.isArray()) {
      out.println("Predictions: " + predictions.size());
      for (JsonNode line : predictions) {
        out.println("  " + PredictionText.describe(line, Optional.of(rowData)));
      }
    }
    JsonNode problems = answer.path("report").path("problems");
    if (problems.isArray() && !problems.isEmpty()) {
      out.println("Problems: " + problems.size());
      for (JsonNode detail : problems) {
        Problem problem = ApiException.problem(detail);
        out.println("  " + problem.format());
      }
    }
    JsonNode dropped = answer.path("report").path("dropped_under_confidence");
    if (dropped.isObject() && !dropped.isEmpty()) {
      List<String> counts = new ArrayList<>();
      dropped.properties().forEach(entry -> counts.add(entry.getKey() + " " + entry.getValue()));
      out.println("Dropped under the confidence threshold: " + String.join(", ", counts));
    }
    String outcome = answer.path("outcome").asString("");
    JsonNode error = answer.path("error");
    out.println(
        "Outcome: "
            + outcome
            + (error.isObject()
                ? " ("
                    + error.path("code").asString("")
                    + ": "
                    + error.path("message").asString("")
                    + ")"
                : ""));
    out.flush();
  }

  /** The ontology is the model's own manifest, long and known: it is named, not repeated. */
  private static JsonNode withOntologyShort(JsonNode body) {
    if (!(body instanceof ObjectNode object) || !object.path("ontology").isObject()) {
      return body;
    }
    JsonNode ontology = object.path("ontology");
    ObjectNode copy = object.deepCopy();
    copy.put(
        "ontology",
        "("
            + ontology.path("tools").size()
            + " tools, "
            + ontology.path("classifications").size()
            + " classifications; --json shows them)");
    return copy;
  }

  private static String block(JsonNode json) {
    String text = JsonText.abbreviated(json, LONGEST_STRING, MOST_ITEMS);
    return JsonText.indent(JsonText.firstLines(text, MOST_LINES, "; --json shows all"), "  ");
  }
}
