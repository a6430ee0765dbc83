package org.openfoundry.cli.demo;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.cli.client.ServerSettings;
import org.openfoundry.cli.datasets.DatasetRef;
import org.openfoundry.cli.datasets.RowImport;
import org.openfoundry.cli.demo.DemoSummary.DemoRun;
import org.openfoundry.cli.models.ModelBody;
import org.openfoundry.cli.models.ModelRegistration;
import org.openfoundry.cli.runs.Progress;
import org.openfoundry.cli.runs.ProgressDisplay;
import org.openfoundry.cli.runs.RunState;
import org.openfoundry.cli.runs.RunWatcher;
import org.openfoundry.examples.bundle.ExampleBundle;
import org.openfoundry.examples.server.ExampleModelServer;
import org.openfoundry.examples.server.ExampleServerConfig;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.server.Application;
import org.openfoundry.server.config.ConfigLoader;
import org.openfoundry.server.config.LoadedConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo, step by step: example models, server, registration, datasets, runs, summary. It owns
 * the example model server and the application it starts, and closes them (once) when closed.
 */
final class Demo implements AutoCloseable {
  /** How often a demo run's progress is printed into a file or a pipe. */
  private static final Duration PLAIN_EVERY = Duration.ofSeconds(2);

  /** Where the demo runs and how long it stays. */
  record Options(int port, Path dataDir, Optional<Integer> modelsPort) {
    Options {
      requireNonNull(dataDir, "dataDir is null");
      requireNonNull(modelsPort, "modelsPort is null");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
      }
    }
  }

  /** One example: a bundled model and the bundled dataset it runs over. */
  private record Example(String model, String dataset, String description) {}

  private static final List<Example> EXAMPLES =
      List.of(
          new Example("shapes", "street-scenes", "24 drawn street scenes (PNG, 320x240)"),
          new Example("language", "news-snippets", "24 short news texts in seven languages"));

  private final Options options;
  private final CliEnvironment environment;
  private final PrintWriter out;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private URI serverUrl;
  private String adminKey;

  Demo(Options options, CliEnvironment environment, PrintWriter out) {
    this.options = requireNonNull(options, "options is null");
    this.environment = requireNonNull(environment, "environment is null");
    this.out = requireNonNull(out, "out is null");
  }

  /** Runs the demo up to its summary; returns the runs it made. */
  List<DemoRun> run() {
    createFolder(options.dataDir());
    DemoState state = DemoState.load(options.dataDir(), new SecureRandom());
    adminKey = state.adminKey();
    out.println("OpenFoundry demo, data in " + options.dataDir() + " (SQLite)");
    out.flush();
    ExampleModelServer models = startModels(state);
    state.withModelsPort(models.baseUri().getPort()).save();
    Application application = startServer();
    serverUrl = URI.create("http://127.0.0.1:" + application.port());
    out.println("OpenFoundry serves " + serverUrl);
    out.println();
    out.flush();
    try (FoundryClient client = new FoundryClient(ServerSettings.of(serverUrl, adminKey))) {
      Map<String, ModelRegistration.Outcome> registered = register(client, models);
      Map<String, JsonNode> datasets = importDatasets(client, models);
      List<DemoRun> runs = runAll(client, registered, datasets);
      out.println();
      DemoSummary.print(client, runs, texts(), out);
      printNext(client, runs);
      return runs;
    }
  }

  URI serverUrl() {
    return serverUrl;
  }

  /**
   * Starts the example models on the port asked for, else on the port of the last demo in this
   * folder (the image rows point at it), else on a free one.
   */
  private ExampleModelServer startModels(DemoState state) {
    out.print("Starting the example models (loading the OpenNLP models)... ");
    out.flush();
    int port = options.modelsPort().orElse(state.modelsPort().orElse(0));
    ExampleModelServer server =
        ExampleModelServer.withExampleModels(ExampleServerConfig.defaults().withPort(port));
    opened.add(server);
    try {
      server.start();
    } catch (UncheckedIOException taken) {
      out.println();
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "the example models cannot listen on port "
              + port
              + " ("
              + rootMessage(taken)
              + "), which the street-scenes rows of "
              + options.dataDir()
              + " point at: free the port, or start afresh with another --data folder");
    }
    out.println("ready at " + server.baseUri());
    out.flush();
    return server;
  }

  private Application startServer() {
    Map<String, String> settings = new HashMap<>();
    settings.put("FOUNDRY_HTTP_HOST", "127.0.0.1");
    settings.put("FOUNDRY_HTTP_PORT", Integer.toString(options.port()));
    settings.put("FOUNDRY_STORAGE_DATA_DIR", options.dataDir().toString());
    settings.put("FOUNDRY_ADMIN_KEY", adminKey);
    // The example models run on this machine: the server may call loopback addresses.
    settings.put("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128");
    settings.put("FOUNDRY_HTTP_EVENTS_INTERVAL", "250ms");
    settings.put("FOUNDRY_DISPATCH_POLL_INTERVAL", "100ms");
    LoadedConfig config = ConfigLoader.load(Optional.empty(), settings, Map.of());
    try {
      // The admin key is configured, so the server has no first key to print on its console.
      Application application =
          Application.start(
              config, new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC());
      opened.add(application);
      return application;
    } catch (FoundryException failed) {
      throw failed;
    } catch (RuntimeException failed) {
      throw new FoundryException(
          ErrorCode.UNAVAILABLE,
          "cannot start OpenFoundry on port "
              + options.port()
              + ": "
              + rootMessage(failed)
              + "; choose another port with --port N (0 picks a free one)");
    }
  }

  private Map<String, ModelRegistration.Outcome> register(
      FoundryClient client, ExampleModelServer models) {
    out.println("Registering the example models from their manifests");
    ModelRegistration registration = new ModelRegistration(client);
    Map<String, ModelRegistration.Outcome> registered = new LinkedHashMap<>();
    for (Example example : EXAMPLES) {
      String yaml = ExampleBundle.manifest(example.model(), models.endpoint(example.model()));
      ModelRegistration.Outcome outcome =
          registration.apply(
              ModelBody.manifest(
                  yaml, "examples/models/" + example.model() + "/model.yaml", Optional.empty()));
      registered.put(example.model(), outcome);
      out.printf(
          "  %-18s %s  version %d (%s)%n",
          outcome.name(),
          outcome.id(),
          outcome.version(),
          switch (outcome.change()) {
            case CREATED -> "registered";
            case NEW_VERSION -> "new version";
            case UNCHANGED -> "unchanged";
          });
      for (Problem warning : outcome.warnings()) {
        out.println("    " + warning.format());
      }
    }
    out.flush();
    return registered;
  }

  private Map<String, JsonNode> importDatasets(FoundryClient client, ExampleModelServer models) {
    out.println("Importing the sample datasets");
    Map<String, JsonNode> datasets = new LinkedHashMap<>();
    for (Example example : EXAMPLES) {
      String rows = rows(example, models);
      long expected = rows.lines().filter(line -> !line.isBlank()).count();
      JsonNode dataset =
          DatasetRef.findByName(client, example.dataset())
              .orElseGet(
                  () ->
                      client.postJson(
                          "/api/v1/datasets",
                          client
                              .object()
                              .put("name", example.dataset())
                              .put("description", example.description())));
      String id = dataset.path("id").asString();
      String note;
      if (dataset.path("row_count").asLong(0) >= expected) {
        checkRowsPointAt(client, id, example, models);
        note = "already imported";
      } else {
        RowImport.Report report =
            new RowImport(client)
                .rows(
                    id,
                    new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)),
                    example.dataset() + ".ndjson");
        note =
            report.imported()
                + " imported"
                + (report.rejected() > 0 ? ", " + report.rejected() + " already there" : "");
      }
      dataset = client.get("/api/v1/datasets/" + FoundryClient.segment(id));
      datasets.put(example.model(), dataset);
      out.printf(
          "  %-18s %s  %d rows (%s)%n",
          example.dataset(), id, dataset.path("row_count").asLong(0), note);
    }
    out.flush();
    return datasets;
  }

  private static String rows(Example example, ExampleModelServer models) {
    return example.model().equals("shapes")
        ? ExampleBundle.streetScenes(models.baseUri())
        : ExampleBundle.newsSnippets();
  }

  /** Image rows hold the example server's URL: a reused dataset must point where it listens. */
  private void checkRowsPointAt(
      FoundryClient client, String datasetId, Example example, ExampleModelServer models) {
    if (!example.model().equals("shapes")) {
      return;
    }
    List<JsonNode> first =
        client.list("/api/v1/datasets/" + FoundryClient.segment(datasetId) + "/data-rows", 1);
    String rowData = first.isEmpty() ? "" : first.getFirst().path("row_data").asString("");
    String base = models.baseUri().toString();
    if (!rowData.startsWith(base + "/")) {
      throw new FoundryException(
          ErrorCode.CONFLICT,
          "the "
              + example.dataset()
              + " rows in "
              + options.dataDir()
              + " point at "
              + rowData
              + ", not at the example models on "
              + base
              + ": run the demo without --models-port, or with a fresh --data folder");
    }
  }

  private List<DemoRun> runAll(
      FoundryClient client,
      Map<String, ModelRegistration.Outcome> registered,
      Map<String, JsonNode> datasets) {
    out.println("Running each model over its dataset");
    out.flush();
    ProgressDisplay display =
        new ProgressDisplay(out, environment.interactive(), environment.clock(), PLAIN_EVERY);
    Map<String, String> runIds = new LinkedHashMap<>();
    for (Example example : EXAMPLES) {
      ModelRegistration.Outcome model = registered.get(example.model());
      JsonNode run =
          client.postJson(
              "/api/v1/runs",
              client
                  .object()
                  .put("model_id", model.id())
                  .put("dataset_id", datasets.get(example.model()).path("id").asString()));
      String runId = run.path("id").asString();
      runIds.put(example.model(), runId);
      display.track(runId, model.name());
    }
    Map<String, Future<Progress>> following = new LinkedHashMap<>();
    try (ExecutorService watchers = Executors.newVirtualThreadPerTaskExecutor()) {
      RunWatcher watcher = new RunWatcher(client);
      runIds.forEach(
          (model, runId) ->
              following.put(model, watchers.submit(() -> watcher.follow(runId, display))));
      List<DemoRun> runs = new ArrayList<>();
      for (Example example : EXAMPLES) {
        runs.add(
            new DemoRun(
                registered.get(example.model()).name(),
                example.dataset(),
                runIds.get(example.model()),
                result(following.get(example.model()))));
      }
      return runs;
    }
  }

  private static Progress result(Future<Progress> following) {
    try {
      return following.get();
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException(failed.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new FoundryException(ErrorCode.UNAVAILABLE, "interrupted while following the runs");
    }
  }

  /** The news snippets' texts by global key, to show named entities by their words. */
  private static Map<String, String> texts() {
    Map<String, String> texts = new HashMap<>();
    JsonMapper mapper = JsonMapper.builder().build();
    ExampleBundle.newsSnippets()
        .lines()
        .filter(line -> !line.isBlank())
        .map(mapper::readTree)
        .forEach(
            row ->
                texts.put(row.path("global_key").asString(""), row.path("row_data").asString("")));
    return texts;
  }

  private void printNext(FoundryClient client, List<DemoRun> runs) {
    out.println("Export the predictions:");
    for (DemoRun run : runs) {
      String format = run.modelName().contains("shapes") ? "coco" : "ndjson";
      out.println(
          "  ./foundry runs export "
              + run.runId()
              + " --format "
              + format
              + " -o "
              + run.datasetName()
              + (format.equals("coco") ? ".json" : ".ndjson"));
    }
    out.println("after pointing the CLI at this demo server with its admin key:");
    out.println("  export " + ServerSettings.SERVER_VARIABLE + "=" + serverUrl);
    out.println("  export " + ServerSettings.KEY_VARIABLE + "=" + adminKey);
    out.println();
    if (client.serves("/")) {
      out.println("Open " + serverUrl + "/ and sign in with the key above to see the runs,");
      out.println("  or " + serverUrl + "/api/docs to try the API (Authorize with the key).");
    } else {
      out.println("Open " + serverUrl + "/api/docs to try the API (Authorize with the key above).");
    }
    out.flush();
  }

  /** Whether every run finished with all its rows succeeded, or some. */
  static boolean allFinished(List<DemoRun> runs) {
    return runs.stream()
        .allMatch(
            run ->
                run.progress().state() == RunState.SUCCEEDED
                    || run.progress().state() == RunState.PARTIALLY_SUCCEEDED);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    out.println("Stopping the demo; its data stays in " + options.dataDir());
    out.flush();
    for (int index = opened.size() - 1; index >= 0; index--) {
      try {
        opened.get(index).close();
      } catch (Exception failed) {
        out.println("could not stop " + opened.get(index) + ": " + failed.getMessage());
      }
    }
    out.flush();
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static void createFolder(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException failed) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT, "cannot create the data folder " + folder + ": " + failed);
    }
  }
}
