package org.openfoundry.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openfoundry.server.Application;
import org.openfoundry.server.config.ConfigLoader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API clients reading a run while it runs, against the whole server on SQLite: each client in a
 * closed loop reads the run (two in five clients), pages through its first tasks (two in five) or
 * streams its NDJSON predictions (one in five), for a window of time or until the run has finished.
 * An export streams every row done so far, so the exports grow as the run goes on. Prints each
 * route's latency percentiles, the errors (any status but 200, a broken body, a failed connection)
 * and the run's throughput meanwhile. See {@code docs/reliability.md}, "Load".
 */
public final class ApiLoadHarness {
  static final String USAGE =
      """
      usage: ApiLoadHarness [options]
        --rows 100000       rows in the run, imported through the API
        --clients 50        API clients reading while it runs (0: the run alone)
        --concurrency 64    the model's max_concurrency
        --latency-ms 0      the model endpoint's latency
        --seconds 240       how long the clients read: the window ends then or when the run does
        --folder <dir>      the server's data folder (a temporary folder by default)""";

  static final String RUN = "run";
  static final String TASKS = "tasks";
  static final String PREDICTIONS = "predictions";

  /** Clients take these routes in turn: two in five read the run, two page, one exports. */
  private static final List<String> ROLES = List.of(RUN, TASKS, RUN, TASKS, PREDICTIONS);

  private static final String ADMIN_KEY = "load-harness-admin-key-0123456789-abcdefghij";
  private static final int TASK_PAGE = 100;
  private static final int TASK_PAGES = 5;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HarnessOptions options;
  private final PrintStream out;
  private final Map<String, Latencies> latencies = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final List<String> firstErrors = new CopyOnWriteArrayList<>();

  ApiLoadHarness(HarnessOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      String[] withScenario = new String[args.length + 1];
      withScenario[0] = "api";
      System.arraycopy(args, 0, withScenario, 1, args.length);
      options = HarnessOptions.parse(withScenario);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Map<String, Double> figures = new ApiLoadHarness(options, System.out).run();
    StringBuilder line = new StringBuilder("RESULT api");
    figures.forEach(
        (name, value) -> line.append(String.format(Locale.ROOT, " %s=%.3f", name, value)));
    System.out.println(line);
  }

  /** Runs the load; returns its figures by name. */
  Map<String, Double> run() throws Exception {
    out.println(EngineLoadHarness.machine());
    int rows = options.count("--rows", 100_000);
    int clients = clients(options);
    int concurrency = options.count("--concurrency", 64);
    Path folder =
        options.folder().isPresent()
            ? Files.createDirectories(options.folder().get())
            : Files.createTempDirectory("foundry-api-load");
    try (LoadEndpoint endpoint = LoadEndpoint.start(options.millis("--latency-ms", 0), 0);
        Application server = start(folder);
        HttpClient http = newClient()) {
      URI base = URI.create("http://127.0.0.1:" + server.port());
      Api api = new Api(http, base);
      String runId = prepare(api, endpoint, rows, concurrency);
      out.printf(
          "api: %,d rows, %d clients reading, model concurrency %d%n", rows, clients, concurrency);
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> readers = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        String route = ROLES.get(client % ROLES.size());
        readers.add(Thread.ofVirtual().start(() -> read(base, runId, route, running)));
      }
      long started = System.nanoTime();
      Duration window = Duration.ofSeconds(options.count("--seconds", 240));
      JsonNode last = awaitFinished(api, runId, started + window.toNanos());
      double seconds = (System.nanoTime() - started) / 1e9;
      running.set(false);
      for (Thread reader : readers) {
        reader.join();
      }
      return report(last, rows, seconds);
    } finally {
      if (options.folder().isEmpty()) {
        EngineLoadHarness.deleteTree(folder);
      }
    }
  }

  private static int clients(HarnessOptions options) {
    String value = options.text("--clients").orElse("50");
    try {
      int clients = Integer.parseInt(value);
      if (clients >= 0) {
        return clients;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException("--clients: expected a whole number >= 0, got " + value);
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private static Application start(Path folder) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("FOUNDRY_HTTP_HOST", "127.0.0.1");
    environment.put("FOUNDRY_HTTP_PORT", "0");
    environment.put("FOUNDRY_STORAGE_DATA_DIR", folder.toString());
    environment.put("FOUNDRY_ADMIN_KEY", ADMIN_KEY);
    environment.put("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8");
    return Application.start(
        ConfigLoader.load(Optional.empty(), environment, Map.of()),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Clock.systemUTC());
  }

  /** Registers the model, imports the rows and starts the run, all through the API. */
  private String prepare(Api api, LoadEndpoint endpoint, int rows, int concurrency)
      throws IOException, InterruptedException {
    String model =
        api.post(
                "/api/v1/models",
                "application/yaml",
                """
                name: load detector
                inference_endpoint: %s
                max_concurrency: %d
                ontology:
                  media_type: IMAGE
                  tools:
                    - {name: person, tool: rectangle}
                """
                    .formatted(endpoint.uri(), concurrency),
                201)
            .path("id")
            .asString();
    String dataset =
        api.post("/api/v1/datasets", "application/json", "{\"name\": \"load rows\"}", 201)
            .path("id")
            .asString();
    StringBuilder ndjson = new StringBuilder(rows * 110);
    for (int row = 1; row <= rows; row++) {
      ndjson
          .append("{\"row_data\": \"https://images.example.com/load-")
          .append(row)
          .append(".jpg\", \"global_key\": \"load-")
          .append(row)
          .append(".jpg\", \"media_type\": \"image\"}\n");
    }
    long importStarted = System.nanoTime();
    JsonNode imported =
        api.post(
            "/api/v1/datasets/" + dataset + "/data-rows",
            "application/x-ndjson",
            ndjson.toString(),
            200);
    if (imported.path("imported").asLong() != rows) {
      throw new IllegalStateException("imported " + imported + ", expected " + rows + " rows");
    }
    out.printf(
        "  imported %,d rows through the API in %.1f s%n",
        rows, (System.nanoTime() - importStarted) / 1e9);
    return api.post(
            "/api/v1/runs",
            "application/json",
            "{\"model_id\": \"%s\", \"dataset_id\": \"%s\"}".formatted(model, dataset),
            202)
        .path("id")
        .asString();
  }

  /**
   * One client's closed loop on connections of its own, on one route: reading the run, paging
   * through its first tasks, or streaming its NDJSON predictions to the end.
   */
  private void read(URI base, String runId, String route, AtomicBoolean running) {
    try (HttpClient http = newClient()) {
      Api api = new Api(http, base);
      while (running.get()) {
        switch (route) {
          case RUN -> timed(RUN, () -> api.get("/api/v1/runs/" + runId));
          case TASKS -> pageTasks(api, runId);
          default ->
              timed(
                  PREDICTIONS,
                  () -> api.stream("/api/v1/runs/" + runId + "/predictions?format=ndjson"));
        }
      }
    }
  }

  private void pageTasks(Api api, String runId) {
    String next = "";
    for (int page = 0; page < TASK_PAGES && next != null; page++) {
      String query = "?limit=" + TASK_PAGE + (next.isEmpty() ? "" : "&cursor=" + next);
      JsonNode tasks = timed(TASKS, () -> api.get("/api/v1/runs/" + runId + "/tasks" + query));
      if (tasks == null) {
        return;
      }
      JsonNode cursor = tasks.path("next_cursor");
      next = cursor.isString() ? cursor.asString() : null;
    }
  }

  @FunctionalInterface
  private interface Call {
    JsonNode send() throws IOException, InterruptedException;
  }

  /** Times one request; an error is counted and noted, and gives null. */
  private JsonNode timed(String route, Call call) {
    sent.incrementAndGet();
    long started = System.nanoTime();
    try {
      JsonNode body = call.send();
      latencies.computeIfAbsent(route, name -> new Latencies()).add(System.nanoTime() - started);
      return body;
    } catch (IOException | RuntimeException e) {
      errors.incrementAndGet();
      if (firstErrors.size() < 10) {
        firstErrors.add(route + ": " + e);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      answered.incrementAndGet();
    }
  }

  /** The run as it stands once it has finished or the window has closed, whichever is first. */
  private static JsonNode awaitFinished(Api api, String runId, long windowEnd)
      throws IOException, InterruptedException {
    while (true) {
      JsonNode run = api.get("/api/v1/runs/" + runId);
      String state = run.path("state").asString();
      if (!state.equals("QUEUED") && !state.equals("RUNNING") || System.nanoTime() >= windowEnd) {
        return run;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private Map<String, Double> report(JsonNode run, int rows, double seconds) {
    String state = run.path("state").asString();
    long succeeded = run.path("counts").path("succeeded").asLong();
    long done = succeeded + run.path("counts").path("failed").asLong();
    boolean finished = !state.equals("QUEUED") && !state.equals("RUNNING");
    if (finished && (!state.equals("SUCCEEDED") || succeeded != rows) || done > succeeded) {
      throw new IllegalStateException("the run came to " + run + ", expected " + rows + " rows");
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    double throughput = done / seconds;
    out.printf(
        "  run: %,d of %,d rows succeeded in %.1f s%s, %,.0f rows/s%n",
        done, rows, seconds, finished ? " (finished)" : " (the window closed)", throughput);
    figures.put("run_rows_done", (double) done);
    figures.put("run_rows_per_second", throughput);
    for (String route : List.of(RUN, TASKS, PREDICTIONS)) {
      long[] sorted = latencies.getOrDefault(route, new Latencies()).sorted();
      if (sorted.length == 0) {
        continue;
      }
      double p50 = percentile(sorted, 0.50);
      double p95 = percentile(sorted, 0.95);
      double p99 = percentile(sorted, 0.99);
      out.printf(
          "  %-11s %,7d requests: p50 %7.1f ms, p95 %7.1f ms, p99 %7.1f ms, max %7.1f ms%n",
          route, sorted.length, p50, p95, p99, sorted[sorted.length - 1] / 1e6);
      figures.put(route + "_requests", (double) sorted.length);
      figures.put(route + "_p50_ms", p50);
      figures.put(route + "_p95_ms", p95);
      figures.put(route + "_p99_ms", p99);
    }
    out.printf(
        "  %,d requests sent, %,d answered, %d errors%n", sent.get(), answered.get(), errors.get());
    firstErrors.forEach(error -> out.println("    " + error));
    figures.put("requests_sent", (double) sent.get());
    figures.put("requests_answered", (double) answered.get());
    figures.put("errors", (double) errors.get());
    return figures;
  }

  /** The nearest-rank percentile of sorted nanoseconds, in milliseconds. */
  static double percentile(long[] sorted, double share) {
    int rank = (int) Math.ceil(share * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  /** One route's latencies in nanoseconds, as many as come, from any thread. */
  private static final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized long[] sorted() {
      long[] copy = Arrays.copyOf(values, size);
      Arrays.sort(copy);
      return copy;
    }
  }

  /** The API as one client sees it, with the admin key. */
  private record Api(HttpClient http, URI base) {
    JsonNode get(String path) throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
      return json(path, response, 200);
    }

    JsonNode post(String path, String contentType, String body, int status)
        throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              request(path)
                  .header("Content-Type", contentType)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return json(path, response, status);
    }

    /** Reads a streamed NDJSON body to its end; gives the number of lines as {@code lines}. */
    JsonNode stream(String path) throws IOException, InterruptedException {
      HttpResponse<InputStream> response =
          http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException(
              path
                  + " answered "
                  + response.statusCode()
                  + ": "
                  + new String(body.readNBytes(300), StandardCharsets.UTF_8));
        }
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        int last = '\n';
        for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
          for (int index = 0; index < read; index++) {
            if (buffer[index] == '\n') {
              lines++;
            }
          }
          if (read > 0) {
            last = buffer[read - 1];
          }
        }
        if (last != '\n') {
          throw new IOException(path + " ended in the middle of a line");
        }
        return JSON.createObjectNode().put("lines", lines);
      }
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(base.resolve(path))
          .header("Authorization", "Bearer " + ADMIN_KEY)
          .timeout(Duration.ofMinutes(5));
    }

    private static JsonNode json(String path, HttpResponse<String> response, int status)
        throws IOException {
      if (response.statusCode() != status) {
        String body = response.body();
        throw new IOException(
            path
                + " answered "
                + response.statusCode()
                + ": "
                + body.substring(0, Math.min(300, body.length())));
      }
      return JSON.readTree(response.body());
    }
  }
}
