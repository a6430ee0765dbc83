package org.openfoundry.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClient;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.engine.EngineConfig;
import org.openfoundry.engine.EngineNode;
import org.openfoundry.engine.EngineWorkerMain;
import org.openfoundry.engine.MasterKeySource;
import org.openfoundry.runs.Run;
import org.openfoundry.runs.RunResult;
import org.openfoundry.runs.RunState;
import org.openfoundry.secrets.MasterKey;
import org.openfoundry.secrets.SecretBox;
import org.openfoundry.store.DatabaseConfig;
import org.openfoundry.store.Store;

/**
 * Load runs of the whole engine (store, dispatcher, HTTP client) against a model endpoint on
 * loopback in the same JVM, each printing its figures next to the figure it is judged against:
 * {@code overhead}, {@code latency}, {@code rate}, {@code memory} and {@code shared-rate}. See
 * {@code docs/performance.md} for the commands and the figures measured.
 */
public final class EngineLoadHarness {
  static final String USAGE =
      """
      usage: EngineLoadHarness <scenario> [options]
        overhead     predictions stored per second against an endpoint that answers at once,
                     next to a closed-loop client's raw rate   --tasks 100000 --concurrency 64
                                                               --raw-seconds 10; --warm-up <n>
                     runs n tasks through the engine first, unmeasured
        latency      an endpoint that takes --latency-ms 200 at --concurrency 512 --tasks 30000
        rate         achieved request rates for --rates 0.1,5,100 over about --seconds 20 each
                     (at least 12 requests per rate) at --concurrency 32
        memory       a --tasks 1000000 run; run the JVM with -Xmx512m; heap after GC at 10, 50
                     and 100 % of the rows
        store        the store alone, on one thread, no HTTP: --tasks 100000 claimed by
                     --claim-batch 32 and completed as answered; CPU per task
        shared-rate  --workers 2 worker processes on PostgreSQL (--db <jdbc-url>, --db-user) at
                     --rate 20 for about --seconds 30
      all scenarios: --claim-batch <n> (the dispatcher's claim batch), --folder <dir> (database
      files; a temporary folder by default)""";

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RUN_LIMIT = Duration.ofHours(2);

  private final HarnessOptions options;
  private final PrintStream out;

  EngineLoadHarness(HarnessOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    HarnessOptions options;
    try {
      options = HarnessOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Map<String, Double> figures = new EngineLoadHarness(options, System.out).run();
    StringBuilder line = new StringBuilder("RESULT " + options.scenario());
    figures.forEach(
        (name, value) -> line.append(String.format(Locale.ROOT, " %s=%.3f", name, value)));
    System.out.println(line);
  }

  /** Runs the scenario; returns its figures by name. */
  Map<String, Double> run() throws Exception {
    out.println(machine());
    Path folder =
        options.folder().isPresent()
            ? Files.createDirectories(options.folder().get())
            : Files.createTempDirectory("foundry-load");
    try {
      return switch (options.scenario()) {
        case "overhead" -> overhead(folder);
        case "latency" -> latency(folder);
        case "rate" -> rate(folder);
        case "memory" -> memory(folder);
        case "shared-rate" -> sharedRate(folder);
        case "store" -> store(folder);
        default ->
            throw new IllegalArgumentException(
                "unknown scenario " + options.scenario() + "\n" + USAGE);
      };
    } finally {
      if (options.folder().isEmpty()) {
        deleteTree(folder);
      }
    }
  }

  private Map<String, Double> overhead(Path folder) throws InterruptedException {
    int tasks = options.count("--tasks", 100_000);
    int concurrency = options.count("--concurrency", 64);
    Duration rawFor = Duration.ofSeconds(options.count("--raw-seconds", 10));
    int warmUp = options.count("--warm-up", 0);
    try (LoadEndpoint endpoint = LoadEndpoint.start(Duration.ZERO, 0)) {
      out.printf(
          "overhead: %,d tasks, concurrency %d, instant endpoint%s%n",
          tasks,
          concurrency,
          warmUp > 0 ? String.format(", after %,d to warm the engine up", warmUp) : "");
      // The raw rate is taken before and after the engine's run, and their mean is the reference:
      // the shared machine's load moves during a run, and either end alone would favour one side.
      Raw before = raw(endpoint.uri(), concurrency, rawFor);
      Drained engine =
          drain(folder, "overhead", endpoint, concurrency, OptionalDouble.empty(), tasks, warmUp);
      Raw after = raw(endpoint.uri(), concurrency, rawFor);
      double raw = (before.perSecond() + after.perSecond()) / 2;
      double rawCpu = (before.cpuMicrosPerRequest() + after.cpuMicrosPerRequest()) / 2;
      double share = engine.overall() / raw;
      // Against the client once the JIT has compiled everything they share, as after a long run.
      double warmShare = engine.overall() / after.perSecond();
      out.printf(
          "  engine: %,.0f predictions stored/s (%,.0f/s between 10 and 90 %%), %.0f %% of the raw"
              + " rate of %,.0f/s (target: 50 %%), %.0f %% of the warm client's alone; %.0f µs of"
              + " CPU per task, %.1f times the raw request's %.0f µs and %.1f times the warm"
              + " client's %.0f µs%n",
          engine.overall(),
          engine.steady(),
          share * 100,
          raw,
          warmShare * 100,
          engine.cpuMicrosPerTask(),
          engine.cpuMicrosPerTask() / rawCpu,
          rawCpu,
          engine.cpuMicrosPerTask() / after.cpuMicrosPerRequest(),
          after.cpuMicrosPerRequest());
      return figures(
          "raw_per_second",
          raw,
          "raw_before_per_second",
          before.perSecond(),
          "raw_after_per_second",
          after.perSecond(),
          "engine_per_second",
          engine.overall(),
          "engine_steady_per_second",
          engine.steady(),
          "share_of_raw",
          share,
          "share_of_warm_raw",
          warmShare,
          "raw_cpu_us_per_request",
          rawCpu,
          "engine_cpu_us_per_task",
          engine.cpuMicrosPerTask());
    }
  }

  /**
   * The store's own part of a task, without the HTTP exchange or another thread: claims of a claim
   * batch, each completed at once with the outcome the instant endpoint's answer gives.
   */
  private Map<String, Double> store(Path folder) {
    int tasks = options.count("--tasks", 100_000);
    int batch = options.count("--claim-batch", DispatcherConfig.defaults("store").claimBatchSize());
    out.printf("store: %,d tasks, claims of %d, one thread%n", tasks, batch);
    try (EngineNode node = node(folder, "store", batch)) {
      Run run =
          Workload.prepare(
              node.store(),
              "store",
              URI.create("http://127.0.0.1:9/"),
              batch,
              OptionalDouble.empty(),
              tasks);
      StoreDrain drain =
          new StoreDrain(node.store().tasks(), run.modelId(), batch, Clock.systemUTC());
      drain.drain(tasks / 5);
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      long started = System.nanoTime();
      int measured = drain.drain(tasks - tasks / 5);
      double seconds = Workload.seconds(started);
      double cpuMicros =
          (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1e3 / measured;
      out.printf(
          "  %,d tasks claimed and completed in %.1f s after %,d to warm up: %,.0f/s, %.1f µs of"
              + " CPU per task%n",
          measured, seconds, tasks / 5, measured / seconds, cpuMicros);
      return figures("tasks_per_second", measured / seconds, "cpu_us_per_task", cpuMicros);
    }
  }

  private Map<String, Double> latency(Path folder) throws InterruptedException {
    int tasks = options.count("--tasks", 30_000);
    int concurrency = options.count("--concurrency", 512);
    Duration latency = options.millis("--latency-ms", 200);
    double bound = concurrency / (latency.toNanos() / 1e9);
    try (LoadEndpoint endpoint = LoadEndpoint.start(latency, 0)) {
      out.printf(
          "latency: %,d tasks, concurrency %d, endpoint latency %d ms, at most %,.0f/s%n",
          tasks, concurrency, latency.toMillis(), bound);
      double raw =
          raw(endpoint.uri(), concurrency, Duration.ofSeconds(options.count("--raw-seconds", 5)))
              .perSecond();
      Drained engine =
          drain(folder, "latency", endpoint, concurrency, OptionalDouble.empty(), tasks);
      double share = engine.steady() / bound;
      out.printf(
          "  engine: %,.0f predictions stored/s overall, %,.0f/s between 10 and 90 %%: %.1f %% of"
              + " the %,.0f/s the latency allows (target: 90 %%)%n",
          engine.overall(), engine.steady(), share * 100, bound);
      return figures(
          "bound_per_second",
          bound,
          "raw_per_second",
          raw,
          "engine_per_second",
          engine.overall(),
          "engine_steady_per_second",
          engine.steady(),
          "share_of_bound",
          share);
    }
  }

  private Map<String, Double> rate(Path folder) throws InterruptedException {
    List<Double> rates = options.numbers("--rates", List.of(0.1, 5.0, 100.0));
    double seconds = options.number("--seconds", 20);
    // The cap is not what is measured: a task holds its room until its slot, its call and its
    // write are over, which at 100/s on a busy machine can take more than 8 × 10 ms.
    int concurrency = options.count("--concurrency", 32);
    Map<String, Double> figures = new LinkedHashMap<>();
    for (double rate : rates) {
      int requests = (int) Math.max(12, Math.round(rate * seconds));
      out.printf(
          "rate: %s requests/s, %d requests, concurrency %d, after 20 calls to warm up%n",
          rate, requests, concurrency);
      try (LoadEndpoint endpoint = LoadEndpoint.start(Duration.ZERO, requests + 16)) {
        drain(
            folder,
            "rate-" + figures.size(),
            endpoint,
            concurrency,
            OptionalDouble.of(rate),
            requests,
            20);
        RateCheck check = RateCheck.of(endpoint.arrivals(), rate);
        out.println("  " + check.describe());
        String name = ("rate_" + rate).replace('.', '_');
        figures.put(name + "_achieved", check.achieved());
        figures.put(name + "_deviation", check.deviation());
        figures.put(name + "_worst_excess", check.worstExcess());
      }
    }
    return figures;
  }

  private Map<String, Double> memory(Path folder) throws InterruptedException {
    int tasks = options.count("--tasks", 1_000_000);
    int concurrency = options.count("--concurrency", 64);
    long maxHeap = Runtime.getRuntime().maxMemory();
    out.printf(
        "memory: %,d tasks, concurrency %d, max heap %d MiB%n", tasks, concurrency, maxHeap >> 20);
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("max_heap_mib", maxHeap / 1048576.0);
    try (LoadEndpoint endpoint = LoadEndpoint.start(Duration.ZERO, 0);
        EngineNode node = node(folder, "memory", concurrency)) {
      Run run =
          Workload.prepare(
              node.store(), "memory", endpoint.uri(), concurrency, OptionalDouble.empty(), tasks);
      HeapMarks marks = new HeapMarks(tasks, List.of(0.1, 0.5));
      long started = System.nanoTime();
      node.start();
      Run finished = Workload.awaitFinished(node.store(), run, POLL, RUN_LIMIT, marks::seen);
      double seconds = Workload.seconds(started);
      requireSucceeded(finished, tasks);
      node.dispatcher().close();
      figures.putAll(marks.figures());
      figures.put("heap_after_gc_at_100_mib", heapAfterGc() / 1048576.0);
      long exportStarted = System.nanoTime();
      long exported;
      try (Stream<RunResult> results = node.store().runs().results(run.id())) {
        exported = results.count();
      }
      figures.put("heap_after_gc_after_export_mib", heapAfterGc() / 1048576.0);
      out.printf(
          "  %,d predictions stored in %.0f s (%,.0f/s); %,d results streamed out in %.1f s%n",
          tasks, seconds, tasks / seconds, exported, Workload.seconds(exportStarted));
      figures.forEach((name, value) -> out.printf("  %s: %.1f%n", name, value));
      figures.put("per_second", tasks / seconds);
      return figures;
    }
  }

  private Map<String, Double> sharedRate(Path folder) throws Exception {
    String server = options.text("--db").orElse("jdbc:postgresql://127.0.0.1:5432/test");
    String user = options.text("--db-user").orElse("postgres");
    int workers = options.count("--workers", 2);
    double rate = options.number("--rate", 20);
    int requests = (int) Math.round(rate * options.number("--seconds", 30));
    String schema = "load_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String url = server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Path keyFile = folder.resolve("master.key");
    out.printf(
        "shared-rate: %d worker processes on %s, %s requests/s, %d requests%n",
        workers, server, rate, requests);
    execute(server, user, "CREATE SCHEMA " + schema);
    List<Process> processes = new ArrayList<>();
    try (LoadEndpoint endpoint = LoadEndpoint.start(Duration.ofMillis(20), requests + 16);
        Store store =
            Store.open(
                new DatabaseConfig(
                    url, Optional.of(user), Optional.empty(), 2, Duration.ofSeconds(5)),
                new SecretBox(MasterKey.fromFile(keyFile), new SecureRandom()),
                Clock.systemUTC())) {
      for (int index = 1; index <= workers; index++) {
        processes.add(worker(folder, "load-worker-" + index, url, user, keyFile));
      }
      // Warms every worker's HTTP client up, so that no first calls leave together.
      int warmUp = 100 * workers;
      Run warm =
          Workload.prepare(
              store, "shared-warm-up", endpoint.uri(), 16, OptionalDouble.empty(), warmUp);
      requireSucceeded(Workload.awaitFinished(store, warm, POLL, RUN_LIMIT, current -> {}), warmUp);
      endpoint.resetArrivals();
      Run run =
          Workload.prepare(store, "shared", endpoint.uri(), 16, OptionalDouble.of(rate), requests);
      requireSucceeded(
          Workload.awaitFinished(store, run, POLL, RUN_LIMIT, current -> {}), requests);
      RateCheck whole = RateCheck.of(endpoint.arrivals(), rate);
      RateCheck check = RateCheck.after(endpoint.arrivals(), rate, Duration.ofSeconds(1));
      RateCheck starts =
          RateCheck.after(attemptStarts(url, user, run), rate, Duration.ofSeconds(1));
      out.println("  whole run: " + whole.describe());
      out.println("  from the first second on: " + check.describe());
      out.println("  the calls' starts as the workers recorded them (ms): " + starts.describe());
      return figures(
          "whole_run_achieved", whole.achieved(),
          "whole_run_worst_excess", whole.worstExcess(),
          "achieved", check.achieved(),
          "deviation", check.deviation(),
          "worst_excess", check.worstExcess(),
          "starts_worst_excess", starts.worstExcess());
    } finally {
      for (Process process : processes) {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
      }
      execute(server, user, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  /** A closed-loop client's rate, and the CPU time (client and endpoint) per request. */
  private record Raw(double perSecond, double cpuMicrosPerRequest) {}

  /** The closed-loop client's rate against the endpoint, after a warm-up of a fifth as long. */
  private Raw raw(URI endpoint, int concurrency, Duration duration) throws InterruptedException {
    try (EndpointClient client = new EndpointClient(clientConfig(concurrency), Clock.systemUTC())) {
      client.start();
      ClosedLoopClient load = new ClosedLoopClient(client, endpoint, concurrency);
      load.run(duration.dividedBy(5));
      long cpu = processCpuNanos();
      double rate = load.run(duration);
      double cpuPerRequest = (processCpuNanos() - cpu) / (rate * duration.toSeconds());
      out.printf(
          "  raw: a closed-loop client with %d callers gets %,.0f requests/s in %d s, %.0f µs of"
              + " CPU per request (client and endpoint)%n",
          concurrency, rate, duration.toSeconds(), cpuPerRequest / 1000);
      return new Raw(rate, cpuPerRequest / 1000);
    }
  }

  /**
   * How fast a run drained, overall and between 10 % and 90 % of its tasks, and the CPU time
   * (engine and endpoint) per task.
   */
  private record Drained(double overall, double steady, double cpuMicrosPerTask) {}

  private Drained drain(
      Path folder,
      String name,
      LoadEndpoint endpoint,
      int concurrency,
      OptionalDouble rate,
      int tasks) {
    return drain(folder, name, endpoint, concurrency, rate, tasks, 0);
  }

  /**
   * Runs {@code tasks} through a fresh node; with {@code warmUp} tasks first, without a rate, whose
   * arrivals are then forgotten, so that the measured run does not start on a cold HTTP client.
   */
  private Drained drain(
      Path folder,
      String name,
      LoadEndpoint endpoint,
      int concurrency,
      OptionalDouble rate,
      int tasks,
      int warmUp) {
    try (EngineNode node = node(folder, name, concurrency)) {
      if (warmUp > 0) {
        node.start();
        Run warm =
            Workload.prepare(
                node.store(),
                name + "-warm-up",
                endpoint.uri(),
                concurrency,
                OptionalDouble.empty(),
                warmUp);
        requireSucceeded(
            Workload.awaitFinished(node.store(), warm, POLL, RUN_LIMIT, current -> {}), warmUp);
        endpoint.resetArrivals();
      }
      Run run = Workload.prepare(node.store(), name, endpoint.uri(), concurrency, rate, tasks);
      Steady steady = new Steady(tasks);
      long started = System.nanoTime();
      long cpu = processCpuNanos();
      if (warmUp == 0) {
        node.start();
      }
      Run finished = Workload.awaitFinished(node.store(), run, POLL, RUN_LIMIT, steady::seen);
      double seconds = Workload.seconds(started);
      double cpuSeconds = (processCpuNanos() - cpu) / 1e9;
      requireSucceeded(finished, tasks);
      out.printf(
          "  %,d tasks succeeded in %.1f s, %.0f µs of CPU per task (engine and endpoint); the"
              + " process had %.0f %% of the machine's %d cores%n",
          tasks,
          seconds,
          cpuSeconds * 1e6 / tasks,
          cpuSeconds / seconds / Runtime.getRuntime().availableProcessors() * 100,
          Runtime.getRuntime().availableProcessors());
      return new Drained(
          tasks / seconds, steady.rate().orElse(tasks / seconds), cpuSeconds * 1e6 / tasks);
    }
  }

  private EngineNode node(Path folder, String name, int concurrency) {
    DispatcherConfig defaults = DispatcherConfig.defaults("load-" + name);
    DispatcherConfig dispatcher =
        new DispatcherConfig(
            defaults.owner(),
            defaults.leaseDuration(),
            options.count("--claim-batch", defaults.claimBatchSize()),
            defaults.horizon(),
            defaults.pollInterval(),
            defaults.completionBatchSize(),
            options.millis("--linger-ms", defaults.completionLinger().toMillis()),
            defaults.shutdownGrace(),
            defaults.contextIdleTime());
    return EngineNode.open(
        new EngineConfig(
            DatabaseConfig.sqlite(folder.resolve(name + ".db")),
            new MasterKeySource.Given(MasterKey.generate(new SecureRandom())),
            dispatcher,
            clientConfig(concurrency),
            new ResponseReading()),
        Clock.systemUTC());
  }

  /** The defaults, with a connection per caller however many there are. */
  private static EndpointClientConfig clientConfig(int concurrency) {
    EndpointClientConfig defaults = EndpointClientConfig.defaults();
    return new EndpointClientConfig(
        defaults.userAgent(),
        defaults.connectTimeoutCap(),
        defaults.idleConnectionTimeout(),
        Math.max(defaults.maxConnectionsPerEndpoint(), concurrency),
        defaults.maxClientThreads());
  }

  private Process worker(Path folder, String owner, String url, String user, Path keyFile)
      throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            EngineWorkerMain.class.getName(),
            "--db",
            url,
            "--db-user",
            user,
            "--owner",
            owner,
            "--master-key-file",
            keyFile.toString(),
            "--poll",
            "100ms");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(folder.resolve(owner + ".log").toFile())
        .start();
  }

  private static void requireSucceeded(Run run, int tasks) {
    if (run.state() != RunState.SUCCEEDED || run.counts().succeeded() != tasks) {
      throw new IllegalStateException(
          "the run ended "
              + run.state()
              + " with "
              + run.counts()
              + ", not "
              + tasks
              + " succeeded");
    }
  }

  /**
   * When each attempt of the run started, in nanoseconds, as the workers recorded it (to the
   * millisecond): the rate at the engine, before the way to the endpoint adds its own jitter.
   */
  private static long[] attemptStarts(String url, String user, Run run) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT a.started_at FROM task_attempts a JOIN tasks t ON t.id = a.task_id"
                    + " WHERE t.run_id = ? ORDER BY a.started_at")) {
      statement.setString(1, run.id().value());
      List<Long> starts = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          starts.add(rows.getLong(1) * 1_000_000);
        }
      }
      return starts.stream().mapToLong(Long::longValue).toArray();
    }
  }

  private static void execute(String url, String user, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The CPU time this process has used, all threads together. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static String machine() {
    Runtime runtime = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %s %s, JDK %s (%s), max heap %d MiB, load average %.1f",
        runtime.availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        runtime.maxMemory() >> 20,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static Map<String, Double> figures(Object... namesAndValues) {
    Map<String, Double> figures = new LinkedHashMap<>();
    for (int index = 0; index < namesAndValues.length; index += 2) {
      figures.put((String) namesAndValues[index], (Double) namesAndValues[index + 1]);
    }
    return figures;
  }

  static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The rate of a run between 10 % and 90 % of its tasks, from the counters polled. */
  private static final class Steady {
    private final long tasks;
    private long firstAt;
    private long firstDone;
    private long lastAt;
    private long lastDone;

    Steady(long tasks) {
      this.tasks = tasks;
    }

    void seen(Run run) {
      long done = run.counts().succeeded() + run.counts().failed();
      long now = System.nanoTime();
      if (firstAt == 0 && done >= tasks / 10) {
        firstAt = now;
        firstDone = done;
      }
      if (done <= tasks * 9 / 10) {
        lastAt = now;
        lastDone = done;
      }
    }

    OptionalDouble rate() {
      if (firstAt == 0 || lastAt <= firstAt) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of((lastDone - firstDone) / ((lastAt - firstAt) / 1e9));
    }
  }

  /** The heap after a full GC when the run passes each mark (a share of its tasks). */
  private final class HeapMarks {
    private final long tasks;
    private final List<Double> marks;
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private int next;

    HeapMarks(long tasks, List<Double> marks) {
      this.tasks = tasks;
      this.marks = List.copyOf(marks);
    }

    void seen(Run run) {
      long done = run.counts().succeeded() + run.counts().failed();
      while (next < marks.size() && done >= tasks * marks.get(next)) {
        double mib = heapAfterGc() / 1048576.0;
        String name = "heap_after_gc_at_" + Math.round(marks.get(next) * 100) + "_mib";
        figures.put(name, mib);
        out.printf("  %,d of %,d done: %.1f MiB of heap after GC%n", done, tasks, mib);
        next++;
      }
    }

    Map<String, Double> figures() {
      return figures;
    }
  }
}
