package org.openfoundry.cli.chat;

import java.util.ArrayList;
import java.util.List;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.models.ModelRef;
import org.openfoundry.params.ParameterSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code foundry compare --models A,B MESSAGE}: one message to several models, side by side. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Send a message to several models at once and print their answers side by side.",
      "The server keeps the comparison: judge it and export the judgments through the API.",
      "Exits 0 when the comparison was made (even if a model failed), 1 otherwise."
    })
public final class CompareCommand extends ServerCommand {
  private static final int DEFAULT_WIDTH = 120;

  @Mixin ConversationOptions conversation = new ConversationOptions();

  @Option(
      names = "--models",
      required = true,
      split = ",",
      paramLabel = "MODEL",
      description = "The models to ask, by id (mdl_...) or name, comma-separated.")
  List<String> models = new ArrayList<>();

  @Option(
      names = "--global-key",
      paramLabel = "KEY",
      description = "Names the comparison in the Labelbox export (default: its id).")
  String globalKey;

  @Option(
      names = "--width",
      paramLabel = "N",
      description = "Characters a line (default: $COLUMNS, else 120).")
  Integer width;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = "What to say.")
  String message;

  CompareCommand(CliEnvironment environment) {
    super(environment);
  }

  @Override
  protected int call(FoundryClient client) {
    ObjectNode body = client.object();
    for (String model : models) {
      body.withArray("models").add(ModelRef.resolve(client, model.strip()).path("id").asString());
    }
    body.set("prompt", conversation.prompt(List.of(), message));
    body.set("inference_params", conversation.inferenceParams(ParameterSchema.none()));
    if (globalKey != null) {
      body.put("global_key", globalKey);
    }
    print(client.postJson("/api/v1/chat/comparisons", body));
    return 0;
  }

  private void print(JsonNode comparison) {
    List<String> headings = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (JsonNode answer : comparison.path("answers")) {
      headings.add(
          answer.path("model_name").asString()
              + " v"
              + answer.path("model_version").asInt()
              + " ("
              + answer.path("message_id").asString()
              + ")");
      texts.add(text(answer));
    }
    out().println("comparison " + comparison.path("id").asString());
    out().println();
    SideBySide.render(headings, texts, lineWidth()).forEach(out()::println);
    out().flush();
  }

  private static String text(JsonNode answer) {
    if (answer.path("outcome").asString("").equals("failed")) {
      JsonNode error = answer.path("error");
      return "[failed: " + error.path("code").asString() + "] " + error.path("message").asString();
    }
    return answer.path("assistant_text").isString()
        ? answer.path("assistant_text").asString()
        : "[no assistant text; see the raw response with the API]";
  }

  private int lineWidth() {
    if (width != null) {
      return width;
    }
    try {
      return environment
          .variable("COLUMNS")
          .map(columns -> Integer.parseInt(columns.strip()))
          .orElse(DEFAULT_WIDTH);
    } catch (NumberFormatException notANumber) {
      return DEFAULT_WIDTH;
    }
  }
}
