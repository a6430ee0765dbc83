package org.openfoundry.cli.models;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.text.Table;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.Secrets;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code foundry models}: register, version, list, show, test and archive models. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "Register models and test their connection.",
    subcommands = {
      ModelsCommand.Create.class,
      ModelsCommand.Update.class,
      ModelsCommand.Apply.class,
      ModelsCommand.ListModels.class,
      ModelsCommand.Show.class,
      ModelTestCommand.class,
      ModelsCommand.Archive.class
    })
public final class ModelsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A manifest file, or the form's fields. */
  static final class Input {
    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "A model.yaml manifest.")
    Path file;

    @ArgGroup(exclusive = false, heading = "The form, instead of a manifest:%n")
    Form form;
  }

  /** The registration form's fields. */
  static final class Form {
    @Option(names = "--name", paramLabel = "NAME", description = "The model's unique name.")
    String name;

    @Option(
        names = "--data-type",
        required = true,
        paramLabel = "TYPE",
        description = "What the model reads: image, text, video, html or conversational.")
    String dataType;

    @Option(
        names = "--endpoint",
        required = true,
        paramLabel = "URL",
        description = "The model's HTTP endpoint, which takes JSON POSTs.")
    String endpoint;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the model does.")
    String description;
  }

  /** Reads the input into a request body, the secret taken from the variable named. */
  static ModelBody body(
      CommandSpec spec,
      CliEnvironment environment,
      Input input,
      Optional<String> secretVariable,
      Optional<String> name) {
    Optional<String> secret = secretVariable.map(variable -> secret(spec, environment, variable));
    if (input.file != null) {
      return ModelBody.manifest(read(input.file), input.file.toString(), secret);
    }
    Form form = input.form;
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    fields.put("data_type", form.dataType);
    fields.put("name", name.orElse(form.name));
    fields.put("inference_endpoint", form.endpoint);
    if (form.description != null) {
      fields.put("description", form.description);
    }
    secret.ifPresent(value -> fields.put("secret", value));
    return ModelBody.form(fields);
  }

  private static String secret(CommandSpec spec, CliEnvironment environment, String variable) {
    return environment
        .variable(variable)
        .orElseThrow(
            () ->
                new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--secret-env " + variable + ": the variable " + variable + " is not set"));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      throw new FoundryException(ErrorCode.INVALID_INPUT, "cannot read " + file + ": no such file");
    } catch (IOException unreadable) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "cannot read " + file + ": " + unreadable.getMessage());
    }
  }

  static void report(ModelRegistration.Outcome outcome, PrintWriter out, PrintWriter err) {
    String what =
        switch (outcome.change()) {
          case CREATED -> "Registered";
          case NEW_VERSION -> "Made a new version of";
          case UNCHANGED -> "Unchanged:";
        };
    out.println(
        what + " " + outcome.name() + " (" + outcome.id() + "), version " + outcome.version());
    out.flush();
    for (Problem warning : outcome.warnings()) {
      err.println(warning.format());
    }
    err.flush();
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Register a model from its model.yaml (-f) or from the form's fields.",
        "Problems are printed with the file's line and column."
      })
  static final class Create extends ServerCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(
        names = "--secret-env",
        paramLabel = "VAR",
        description =
            "Send the value of this environment variable as the model's secret (write-only).")
    String secretVariable;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Create(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      if (input.form != null && input.form.name == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "the form needs --name (or give a manifest with -f)");
      }
      ModelBody body =
          body(spec, environment, input, Optional.ofNullable(secretVariable), Optional.empty());
      ModelRegistration.Outcome outcome = new ModelRegistration(client).create(body);
      if (json) {
        printJson(outcome.model());
        return 0;
      }
      report(outcome, out(), err());
      return 0;
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Make a new version of a model from a manifest (-f) or the form's fields. Runs keep the"
            + " version they started with; the name cannot change, and the secret is kept unless"
            + " a new one is given or --remove-secret."
      })
  static final class Update extends ServerCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's id or name.")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(
        names = "--secret-env",
        paramLabel = "VAR",
        description = "Send the value of this environment variable as the new secret.")
    String secretVariable;

    @Option(names = "--remove-secret", description = "Remove the secret (form only).")
    boolean removeSecret;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Update(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode current = ModelRef.resolve(client, model);
      String name = current.path("name").asString();
      if (input.form != null && input.form.name != null && !input.form.name.equals(name)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--name: a model keeps its name; expected \"" + name + "\" or no --name");
      }
      ModelBody body =
          body(spec, environment, input, Optional.ofNullable(secretVariable), Optional.of(name));
      if (removeSecret) {
        if (body.isManifest() || secretVariable != null) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--remove-secret goes with the form, without --secret-env");
        }
        ObjectNode fields = (ObjectNode) client.mapper().readTree(body.text());
        fields.put("remove_secret", true);
        body = ModelBody.form(fields);
      }
      ModelRegistration.Outcome outcome =
          new ModelRegistration(client).newVersion(current.path("id").asString(), body);
      if (json) {
        printJson(outcome.model());
        return 0;
      }
      report(outcome, out(), err());
      return 0;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Make the server hold this manifest: register the model when its name is new, make a new"
            + " version when the manifest changed, or leave it when it did not. Safe to repeat."
      })
  static final class Apply extends ServerCommand {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "FILE",
        description = "A model.yaml manifest.")
    Path file;

    @Option(
        names = "--secret-env",
        paramLabel = "VAR",
        description = "Send the value of this environment variable as the model's secret.")
    String secretVariable;

    Apply(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      Optional<String> secret =
          Optional.ofNullable(secretVariable).map(variable -> secret(spec, environment, variable));
      ModelBody body = ModelBody.manifest(read(file), file.toString(), secret);
      report(new ModelRegistration(client).apply(body), out(), err());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the live models.")
  static final class ListModels extends ServerCommand {
    @Option(names = "--json", description = "Print the models as a JSON array.")
    boolean json;

    ListModels(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      return printListing(
          client,
          client.list("/api/v1/models", Integer.MAX_VALUE),
          json,
          "No models yet: register one with foundry models create -f model.yaml",
          new Table("ID", "NAME", "VERSION", "UPDATED"),
          model ->
              new String[] {
                model.path("id").asString(""),
                model.path("name").asString(""),
                String.valueOf(model.path("latest_version").asInt(0)),
                model.path("updated_at").asString("")
              });
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a model: its latest version's endpoint, features and parameters.")
  static final class Show extends ServerCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's id or name.")
    String model;

    @Option(names = "--versions", description = "Also list every version.")
    boolean versions;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Show(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode found = ModelRef.resolve(client, model);
      String id = found.path("id").asString();
      List<JsonNode> all =
          versions
              ? client.list("/api/v1/models/" + FoundryClient.segment(id) + "/versions", 10_000)
              : List.of();
      if (json) {
        ObjectNode answer = ((ObjectNode) found).deepCopy();
        if (versions) {
          answer.set("versions", client.mapper().valueToTree(all));
        }
        printJson(answer);
        return 0;
      }
      PrintWriter out = out();
      out.println(found.path("name").asString() + " (" + id + ")");
      ManifestSummary.line(
          out,
          "version",
          found.path("latest_version").asInt(0)
              + " ("
              + found.path("latest_version_id").asString("")
              + "), "
              + found.path("updated_at").asString(""));
      ManifestSummary.line(
          out, "secret", found.path("has_secret").asBoolean(false) ? "set (write-only)" : "none");
      JsonNode manifestJson = found.path("manifest");
      ManifestSummary.line(out, "url", manifestJson.path("inference_endpoint").asString(""));
      summary(manifestJson, out);
      String description = manifestJson.path("description").asString("");
      if (!description.isBlank()) {
        ManifestSummary.line(out, "description", description);
      }
      if (versions) {
        out.println("versions:");
        Table table = new Table("  VERSION", "ID", "SECRET", "CREATED");
        for (JsonNode version : all) {
          table.row(
              "  " + version.path("version").asInt(0),
              version.path("id").asString(""),
              version.path("has_secret").asBoolean(false) ? "set" : "none",
              version.path("created_at").asString(""));
        }
        table.print(out);
      }
      out.flush();
      return 0;
    }

    private static void summary(JsonNode manifestJson, PrintWriter out) {
      Manifest manifest;
      try {
        manifest = Manifest.fromJson(manifestJson, Secrets.none());
      } catch (FoundryException | IllegalArgumentException newerServer) {
        ManifestSummary.line(out, "manifest", "(not readable by this CLI; see --json)");
        return;
      }
      ManifestSummary.printDetails(manifest, out);
    }
  }

  @Command(
      name = "archive",
      mixinStandardHelpOptions = true,
      description =
          "Archive a model: it takes no new runs and its name is free again; its versions and runs"
              + " stay.")
  static final class Archive extends ServerCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's id or name.")
    String model;

    Archive(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode found = ModelRef.resolve(client, model);
      String id = found.path("id").asString();
      client.send(
          "DELETE",
          "/api/v1/models/" + FoundryClient.segment(id),
          FoundryClient.JSON,
          BodyPublishers.noBody());
      out().println("Archived " + found.path("name").asString() + " (" + id + ")");
      out().flush();
      return 0;
    }
  }
}
