package org.openfoundry.cli.runs;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerCommand;
import org.openfoundry.cli.datasets.DatasetRef;
import org.openfoundry.cli.models.InferenceParams;
import org.openfoundry.cli.models.ModelRef;
import org.openfoundry.cli.text.Table;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code foundry runs}: start, follow, steer and export model runs. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "Run models over data rows, follow and steer the runs, export predictions.",
    subcommands = {
      RunsCommand.Start.class,
      RunsCommand.ListRuns.class,
      RunsCommand.Show.class,
      RunsCommand.Tasks.class,
      RunsCommand.Watch.class,
      RunsCommand.Cancel.class,
      RunsCommand.Pause.class,
      RunsCommand.Resume.class,
      RunsCommand.Retry.class,
      ExportCommand.class
    })
public final class RunsCommand implements Runnable {
  /** How often a watch into a file or a pipe prints a line when nothing else changed. */
  static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String path(String runId) {
    return "/api/v1/runs/" + FoundryClient.segment(runId);
  }

  /** Follows a run to its end, says how it ended; returns the exit status its state gives. */
  static int watch(
      FoundryClient client,
      String runId,
      String label,
      CliEnvironment environment,
      boolean plain,
      PrintWriter out) {
    ProgressDisplay display =
        new ProgressDisplay(
            out, environment.interactive() && !plain, environment.clock(), PLAIN_EVERY);
    display.track(runId, label);
    Progress last = new RunWatcher(client).follow(runId, display);
    Progress.Counts counts = last.counts();
    String took = RunTimes.describe(client.get(path(runId)), counts.done());
    out.println(
        runId
            + " "
            + last.state().name()
            + ": "
            + counts.succeeded()
            + " of "
            + counts.total()
            + " rows succeeded, "
            + counts.failed()
            + " failed"
            + (counts.cancelled() > 0 ? ", " + counts.cancelled() + " cancelled" : "")
            + (took.isEmpty() ? "" : " " + took));
    if (counts.failed() > 0) {
      out.println("See why: foundry runs tasks " + runId + " --state FAILED");
    }
    out.flush();
    return last.state().exitCode();
  }

  /** Which rows a run takes: a dataset, global keys or data row ids. */
  static final class Rows {
    @Option(
        names = "--dataset",
        paramLabel = "DATASET",
        description = "Every row of this dataset (id or name).")
    String dataset;

    @Option(
        names = "--global-key",
        paramLabel = "KEY",
        description = "The row with this global key; may be repeated.")
    List<String> globalKeys;

    @Option(
        names = "--data-row",
        paramLabel = "ID",
        description = "The row with this id (dr_...); may be repeated.")
    List<String> rowIds;
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = {
        "Start a model run over a dataset, or over rows named by global key or id. The run pins"
            + " the model's latest version unless --model-version says otherwise.",
        "Parameters are typed by the model's schema and checked by the server, which fills in"
            + " the defaults."
      })
  static final class Start extends ServerCommand {
    @Option(
        names = "--model",
        required = true,
        paramLabel = "MODEL",
        description = "The model's id or name.")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Rows rows;

    @Option(
        names = "--param",
        paramLabel = "NAME=VALUE",
        description = "An inference parameter (confidence=0.5); may be repeated.")
    List<String> params = new ArrayList<>();

    @Option(
        names = "--feature",
        paramLabel = "NAME",
        description = "Predict only this ontology feature; may be repeated.")
    List<String> features = new ArrayList<>();

    @Option(
        names = "--class-map",
        paramLabel = "CLASS=FEATURE",
        description = "Read the model's class CLASS as the feature FEATURE; may be repeated.")
    Map<String, String> classMapping = new LinkedHashMap<>();

    @Option(
        names = "--model-version",
        paramLabel = "N",
        description = "The model version to run (default: the latest).")
    Integer version;

    @Option(
        names = "--failure-budget",
        paramLabel = "SHARE",
        description =
            "Stop the run as FAILED once more than this share (0 to 1) of its rows has failed.")
    Double failureBudget;

    @Option(names = "--watch", description = "Follow the run until it ends, as runs watch does.")
    boolean watch;

    @Option(names = "--plain", description = "With --watch: plain lines even on a terminal.")
    boolean plain;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Start(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode found = ModelRef.resolve(client, model);
      ObjectNode body = client.object();
      body.put("model_id", found.path("id").asString());
      JsonNode manifest = found.path("manifest");
      if (version != null) {
        body.put("model_version", version);
        manifest = versionManifest(client, found, version);
      }
      String over = rows(client, body);
      body.set("inference_params", InferenceParams.parse(manifest, params));
      if (!features.isEmpty()) {
        ArrayNode list = body.putArray("features");
        features.forEach(list::add);
      }
      if (!classMapping.isEmpty()) {
        ObjectNode mapping = body.putObject("class_mapping");
        classMapping.forEach(mapping::put);
      }
      if (failureBudget != null) {
        body.put("failure_budget", failureBudget);
      }
      JsonNode run = client.postJson("/api/v1/runs", body);
      String id = run.path("id").asString();
      if (json) {
        printJson(run);
      } else {
        out()
            .println(
                "Started run "
                    + id
                    + " of "
                    + found.path("name").asString()
                    + " over "
                    + over
                    + ": "
                    + run.path("counts").path("total").asLong(0)
                    + " rows, "
                    + run.path("state").asString(""));
        if (!watch) {
          out().println("Follow it with: foundry runs watch " + id);
        }
        out().flush();
      }
      if (!watch) {
        return 0;
      }
      return RunsCommand.watch(
          client, id, found.path("name").asString(), environment, plain, out());
    }

    private String rows(FoundryClient client, ObjectNode body) {
      if (rows.dataset != null) {
        JsonNode dataset = DatasetRef.resolve(client, rows.dataset);
        body.put("dataset_id", dataset.path("id").asString());
        return dataset.path("name").asString();
      }
      if (rows.globalKeys != null) {
        rows.globalKeys.forEach(body.putArray("global_keys")::add);
        return rows.globalKeys.size() + " global keys";
      }
      rows.rowIds.forEach(body.putArray("data_row_ids")::add);
      return rows.rowIds.size() + " data rows";
    }

    private JsonNode versionManifest(FoundryClient client, JsonNode model, int number) {
      String id = model.path("id").asString();
      return client
          .list("/api/v1/models/" + FoundryClient.segment(id) + "/versions", 100_000)
          .stream()
          .filter(each -> each.path("version").asInt(0) == number)
          .findFirst()
          .map(each -> each.path("manifest"))
          .orElseThrow(
              () ->
                  new CommandLine.ParameterException(
                      spec.commandLine(),
                      "--model-version: expected a version from 1 to "
                          + model.path("latest_version").asInt(0)
                          + ", got "
                          + number));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
  static final class ListRuns extends ServerCommand {
    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "How many runs to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the runs as a JSON array.")
    boolean json;

    ListRuns(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      List<JsonNode> runs = client.list("/api/v1/runs", Math.max(1, limit));
      Map<String, String> names = json || runs.isEmpty() ? Map.of() : modelNames(client);
      return printListing(
          client,
          runs,
          json,
          "No runs yet: start one with foundry runs start --model M --dataset D",
          new Table("ID", "MODEL", "STATE", "DONE", "FAILED", "CREATED"),
          run -> {
            Progress progress = Progress.ofRun(run);
            String modelId = run.path("model_id").asString("");
            return new String[] {
              run.path("id").asString(""),
              names.getOrDefault(modelId, modelId),
              progress.state().name(),
              progress.counts().done() + "/" + progress.counts().total(),
              String.valueOf(progress.counts().failed()),
              run.path("created_at").asString("")
            };
          });
    }

    private static Map<String, String> modelNames(FoundryClient client) {
      Map<String, String> names = new HashMap<>();
      for (JsonNode model : client.list("/api/v1/models", 100_000)) {
        names.put(model.path("id").asString(""), model.path("name").asString(""));
      }
      return names;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a run: state, counts, progress, settings and times.")
  static final class Show extends ServerCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String run;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    Show(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      JsonNode found = client.get(path(run));
      if (json) {
        printJson(found);
        return 0;
      }
      PrintWriter out = out();
      Progress progress = Progress.ofRun(found);
      out.println(found.path("id").asString() + "  " + progress.state().name());
      line(
          out,
          "model",
          found.path("model_id").asString("")
              + " (version "
              + found.path("model_version_id").asString("")
              + ")");
      found.path("dataset_id").asStringOpt().ifPresent(dataset -> line(out, "dataset", dataset));
      line(
          out,
          "progress",
          String.format(Locale.ROOT, "%.1f%%, ", progress.percent())
              + ProgressDisplay.counts(progress.counts()));
      JsonNode settings = found.path("settings");
      line(out, "parameters", settings.path("inference_params").toString());
      if (!settings.path("features").isEmpty()) {
        line(out, "features", join(settings.path("features")));
      }
      if (!settings.path("class_mapping").isEmpty()) {
        line(out, "class map", settings.path("class_mapping").toString());
      }
      settings
          .path("failure_budget")
          .asDoubleOpt()
          .ifPresent(budget -> line(out, "budget", budget + " of the rows may fail"));
      line(out, "created", found.path("created_at").asString(""));
      found.path("started_at").asStringOpt().ifPresent(time -> line(out, "started", time));
      found.path("finished_at").asStringOpt().ifPresent(time -> line(out, "finished", time));
      if (progress.counts().failed() > 0) {
        out.println("Failed rows: foundry runs tasks " + run + " --state FAILED");
      }
      out.flush();
      return 0;
    }

    private static void line(PrintWriter out, String label, String value) {
      out.printf("  %-11s %s%n", label + ":", value);
    }

    private static String join(JsonNode values) {
      List<String> all = new ArrayList<>();
      values.forEach(value -> all.add(value.asString("")));
      return String.join(", ", all);
    }
  }

  @Command(
      name = "tasks",
      mixinStandardHelpOptions = true,
      description = "List a run's tasks, one per data row, with attempts and the last error.")
  static final class Tasks extends ServerCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String run;

    @Option(
        names = "--state",
        paramLabel = "STATE",
        description = "Only tasks in this state: QUEUED, LEASED, SUCCEEDED, FAILED or CANCELLED.")
    String state;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "How many tasks to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the tasks as a JSON array.")
    boolean json;

    Tasks(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      String query = state == null ? "" : "?state=" + FoundryClient.query(state);
      return printListing(
          client,
          client.list(path(run) + "/tasks" + query, Math.max(1, limit)),
          json,
          "No tasks" + (state == null ? "" : " in state " + state),
          new Table("TASK", "DATA ROW", "STATE", "ATTEMPTS", "HTTP", "ERROR"),
          task -> {
            JsonNode error = task.path("error");
            return new String[] {
              task.path("id").asString(""),
              task.path("data_row_id").asString(""),
              task.path("state").asString(""),
              String.valueOf(task.path("attempts").asInt(0)),
              task.path("last_status").isNumber() ? task.path("last_status").asString() : "-",
              error.isObject()
                  ? error.path("code").asString("") + ": " + error.path("message").asString("")
                  : ""
            };
          });
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = {
        "Follow a run until it ends: a live progress bar with the counts per state, the rate and"
            + " the ETA on a terminal, a plain line every few seconds otherwise.",
        "Exits 0 when every row succeeded, 3 when some failed, 4 when the run failed, 5 when it"
            + " was cancelled."
      })
  static final class Watch extends ServerCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String run;

    @Option(names = "--plain", description = "Plain lines even on a terminal.")
    boolean plain;

    Watch(CliEnvironment environment) {
      super(environment);
    }

    @Override
    protected int call(FoundryClient client) {
      return RunsCommand.watch(client, run, run, environment, plain, out());
    }
  }

  /** The four moves that steer a run. */
  abstract static class Steer extends ServerCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    String run;

    Steer(CliEnvironment environment) {
      super(environment);
    }

    abstract String move();

    @Override
    protected int call(FoundryClient client) {
      JsonNode after = client.post(path(run) + "/" + move());
      Progress progress = Progress.ofRun(after);
      out()
          .println(
              run
                  + " is "
                  + progress.state().name()
                  + " ("
                  + progress.counts().done()
                  + "/"
                  + progress.counts().total()
                  + " rows done, "
                  + progress.counts().failed()
                  + " failed)");
      out().flush();
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a run: its queued rows are not sent; rows being sent finish.")
  static final class Cancel extends Steer {
    Cancel(CliEnvironment environment) {
      super(environment);
    }

    @Override
    String move() {
      return "cancel";
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a run: no more rows are sent until it is resumed.")
  static final class Pause extends Steer {
    Pause(CliEnvironment environment) {
      super(environment);
    }

    @Override
    String move() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused run.")
  static final class Resume extends Steer {
    Resume(CliEnvironment environment) {
      super(environment);
    }

    @Override
    String move() {
      return "resume";
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = "Queue the failed rows of a finished run again; the run goes back to RUNNING.")
  static final class Retry extends Steer {
    Retry(CliEnvironment environment) {
      super(environment);
    }

    @Override
    String move() {
      return "retry";
    }
  }
}
