package org.openfoundry.cli.chat;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openfoundry.params.ParameterSchema;
import org.openfoundry.problems.FoundryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
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
public final class ChatCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;

  @Spec CommandSpec spec;

  @Mixin ServerOptions server;

  @Mixin ConversationOptions conversation;

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

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ChatApi api = server.api();
      JsonNode found = api.model(model);
      String id = found.path("id").asString();
      List<JsonNode> earlier = history == null ? List.of() : History.read(history);
      ArrayNode prompt = conversation.prompt(earlier, message);
      ObjectNode body = ChatApi.JSON.createObjectNode();
      body.set("prompt", prompt);
      body.set("inference_params", conversation.inferenceParams(schema(found)));
      if (version != null) {
        body.put("model_version", version);
      }
      String path = "/api/v1/models/" + ChatApi.encode(id) + "/chat";
      if (raw) {
        out.println(api.post(path + "?format=raw", body).body());
        out.flush();
        return OK;
      }
      JsonNode answer = api.post(path, body).json();
      print(answer, out, err);
      if (history != null && answer.path("assistant_text").isString()) {
        History.write(history, prompt, answer.path("assistant_text").asString());
      }
      return OK;
    } catch (FoundryException failure) {
      err.println(failure.describe());
      err.flush();
      return FAILED;
    }
  }

  private void print(JsonNode answer, PrintWriter out, PrintWriter err) {
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

  /** The model's parameter schema, which types --param values; none when it declares none. */
  static ParameterSchema schema(JsonNode model) {
    JsonNode schema = model.path("manifest").path("inference_params_json_schema");
    return schema.isObject() ? ParameterSchema.of(schema) : ParameterSchema.none();
  }
}
