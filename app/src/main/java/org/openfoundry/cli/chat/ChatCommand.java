package org.openfoundry.cli.chat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.models.ModelRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code foundry chat MODEL MESSAGE}: one turn of a conversation with a model, through the API. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Send a message (with images, instructions and earlier turns) to a model and print the"
          + " assistant's answer.",
      "The call runs on the server under the model's secret, limits and retries, ahead of its"
          + " batch runs.",
      "Exits 0 with an answer, 1 when the server or the model refused or failed."
    })
public final class ChatCommand extends ServerCommand {
  @Mixin ConversationOptions conversation = new ConversationOptions();

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model's id (mdl_...) or name.")
  String model;

  @Parameters(index = "1", paramLabel = "MESSAGE", description = "What to say.")
  String message;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      description =
          "Earlier turns (a JSON list of {role, parts}); read before the call and, with an"
              + " answer, written back with this turn and the reply. Not with --raw.")
  Path history;

  @Option(
      names = "--raw",
      description = "Print the model's raw response exactly as it came, instead of its text.")
  boolean raw;

  @Option(
      names = "--model-version",
      paramLabel = "N",
      description = "The model version to talk to (default: the latest).")
  Integer version;

  @Option(
      names = "--details",
      description = "Also print the version, attempts, latency and token usage on stderr.")
  boolean details;

  ChatCommand(CliEnvironment environment) {
    super(environment);
  }

  @Override
  protected int call(FoundryClient client) {
    JsonNode found = ModelRef.resolve(client, model);
    List<JsonNode> earlier = history == null ? List.of() : History.read(history);
    ArrayNode prompt = conversation.prompt(earlier, message);
    ObjectNode body = client.object();
    body.set("prompt", prompt);
    body.set("inference_params", conversation.inferenceParams(found.path("manifest")));
    if (version != null) {
      body.put("model_version", version);
    }
    String path = "/api/v1/models/" + FoundryClient.segment(found.path("id").asString()) + "/chat";
    if (raw) {
      out().println(client.postJsonForText(path + "?format=raw", body));
      out().flush();
      return 0;
    }
    JsonNode answer = client.postJson(path, body);
    print(answer);
    if (history != null && answer.path("assistant_text").isString()) {
      History.write(history, prompt, answer.path("assistant_text").asString());
    }
    return 0;
  }

  private void print(JsonNode answer) {
    PrintWriter out = out();
    PrintWriter err = err();
    if (answer.path("assistant_text").isString()) {
      out.println(answer.path("assistant_text").asString());
    } else {
      err.println("(the adapter found no assistant text; the raw response follows)");
      out.println(answer.path("raw_response").toString());
    }
    out.flush();
    if (details) {
      JsonNode usage = answer.path("usage");
      err.println(
          "model "
              + answer.path("model_name").asString()
              + " v"
              + answer.path("model_version").asInt()
              + ", "
              + answer.path("attempts").asInt()
              + " attempt(s), "
              + answer.path("latency_ms").asLong()
              + " ms"
              + (usage.isObject()
                  ? ", tokens in/out "
                      + usage.path("input_tokens").asLong()
                      + "/"
                      + usage.path("output_tokens").asLong()
                  : ""));
    }
    err.flush();
  }
}
