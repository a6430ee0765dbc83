package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code foundry runs ...} end to end: a model registered from its manifest, rows imported, runs
 * started with parameters, watched to their end, steered, retried and exported, against the real
 * server and a fake model endpoint whose answers each test scripts.
 */
@Timeout(120)
class RunsCommandTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern RUN_ID = Pattern.compile("run_\\w+");

  private static FakeEndpoint endpoint;
  private static TestServer server;
  private static Cli cli;

  private final CountDownLatch release = new CountDownLatch(1);

  @TempDir Path folder;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.answering(Reply.json(Manifests.RESPONSE));
    server = new TestServer();
    cli = Cli.against(server, server.memberKey);
  }

  @AfterEach
  void releaseHeldRequests() {
    release.countDown();
    endpoint.script(FakeEndpoint.always(Reply.json(Manifests.RESPONSE)));
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
  }

  @Test
  void runs_a_model_with_typed_parameters_watches_it_to_the_end_and_exports_it() throws Exception {
    setUp("typed", 4);

    Cli.Result started =
        cli.run(
            "runs", "start",
            "--model", "typed",
            "--dataset", "typed rows",
            "--param", "confidence=0.5",
            "--param", "prompt=find the fish");
    String run = runId(started);
    Cli.Result watched = cli.run("runs", "watch", run);

    assertThat(started.exit()).as(started.both()).isZero();
    assertThat(started.out()).contains("of typed over typed rows: 4 rows, QUEUED");
    assertThat(watched.exit()).as(watched.both()).isZero();
    assertThat(watched.out())
        .contains(run + ": SUCCEEDED 100.0% (4/4 done: 4 succeeded, 0 failed")
        .contains(run + " SUCCEEDED: 4 of 4 rows succeeded, 0 failed in ");
    JsonNode sent = JSON.readTree(endpoint.requests().getLast().body());
    assertThat(sent.path("inference_params").path("confidence").asDouble()).isEqualTo(0.5);
    assertThat(sent.path("inference_params").path("prompt").asString()).isEqualTo("find the fish");

    Path ndjson = folder.resolve("typed.ndjson");
    Cli.Result exported =
        cli.run("runs", "export", run, "--format", "ndjson", "-o", ndjson.toString());
    assertThat(exported.exit()).as(exported.both()).isZero();
    assertThat(exported.err()).startsWith("Wrote 8 lines (");
    List<String> lines = Files.readAllLines(ndjson, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(8);
    assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"globalKey\":\"typed-3\""));
    assertThat(folder.resolve("typed.ndjson.partial")).doesNotExist();

    Path coco = folder.resolve("typed.json");
    cli.run("runs", "export", run, "--format", "coco", "-o", coco.toString());
    assertThat(JSON.readTree(coco.toFile()).path("annotations")).hasSize(4);

    Cli.Result raw = cli.run("runs", "export", run, "--format", "raw");
    assertThat(raw.out().lines())
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).contains("goldfish"));

    assertThat(cli.run("runs", "show", run).out())
        .contains(run + "  SUCCEEDED")
        .contains("\"confidence\":0.5");
    assertThat(cli.run("runs", "list").out()).contains(run).contains("typed").contains("4/4");
  }

  @Test
  void start_with_watch_follows_the_run_and_exits_with_its_state() {
    setUp("followed", 2);

    Cli.Result started =
        cli.run("runs", "start", "--model", "followed", "--dataset", "followed rows", "--watch");

    assertThat(started.exit()).as(started.both()).isZero();
    assertThat(started.out()).contains("SUCCEEDED: 2 of 2 rows succeeded");
  }

  @Test
  void cancels_a_run_while_the_endpoint_holds_its_rows() throws Exception {
    setUp("cancelled", 3);
    endpoint.script(FakeEndpoint.always(new Reply.Hold(release, Reply.json(Manifests.RESPONSE))));
    int before = endpoint.requests().size();
    String run =
        runId(cli.run("runs", "start", "--model", "cancelled", "--dataset", "cancelled rows"));
    assertThat(endpoint.awaitRequests(before + 1, Duration.ofSeconds(30))).isTrue();

    Cli.Result cancelled = cli.run("runs", "cancel", run);
    release.countDown();
    Cli.Result watched = cli.run("runs", "watch", run);

    assertThat(cancelled.exit()).as(cancelled.both()).isZero();
    assertThat(cancelled.out()).startsWith(run + " is CANCELLED");
    assertThat(watched.exit()).isEqualTo(5);
    assertThat(watched.out()).contains(run + " CANCELLED");
  }

  @Test
  void pauses_and_resumes_a_run() throws Exception {
    setUp("paused", 3);
    endpoint.script(FakeEndpoint.always(new Reply.Hold(release, Reply.json(Manifests.RESPONSE))));
    int before = endpoint.requests().size();
    String run = runId(cli.run("runs", "start", "--model", "paused", "--dataset", "paused rows"));
    assertThat(endpoint.awaitRequests(before + 1, Duration.ofSeconds(30))).isTrue();

    Cli.Result paused = cli.run("runs", "pause", run);
    Cli.Result resumed = cli.run("runs", "resume", run);
    release.countDown();
    Cli.Result watched = cli.run("runs", "watch", run);

    assertThat(paused.out()).startsWith(run + " is PAUSED");
    assertThat(resumed.out()).startsWith(run + " is RUNNING");
    assertThat(watched.exit()).as(watched.both()).isZero();
  }

  @Test
  void retries_the_failed_rows_of_a_partly_failed_run() {
    setUp("retried", 4);
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    endpoint.script(
        request -> {
          String key =
              JSON.readTree(request.body()).path("data_row").path("global_key").asString("");
          if (key.equals("retried-2") && refusedOnce.add(key)) {
            return Reply.json(400, "{\"error\": \"no fish today\"}");
          }
          return Reply.json(Manifests.RESPONSE);
        });

    Cli.Result first =
        cli.run("runs", "start", "--model", "retried", "--dataset", "retried rows", "--watch");
    String run = runId(first);
    Cli.Result failedTasks = cli.run("runs", "tasks", run, "--state", "FAILED");
    Cli.Result retried = cli.run("runs", "retry", run);
    Cli.Result watched = cli.run("runs", "watch", run);

    assertThat(first.exit()).as(first.both()).isEqualTo(3);
    assertThat(first.out())
        .contains("PARTIALLY_SUCCEEDED: 3 of 4 rows succeeded, 1 failed")
        .contains("See why: foundry runs tasks " + run + " --state FAILED");
    assertThat(failedTasks.out()).contains("FAILED").contains("400").contains("ENDPOINT_HTTP_400");
    assertThat(retried.out()).startsWith(run + " is RUNNING");
    assertThat(watched.exit()).as(watched.both()).isZero();
    assertThat(watched.out()).contains("SUCCEEDED: 4 of 4 rows succeeded, 0 failed");
  }

  @Test
  void a_move_the_runs_state_does_not_allow_is_refused_with_the_servers_message() {
    setUp("finished", 1);
    String run =
        runId(
            cli.run(
                "runs", "start", "--model", "finished", "--dataset", "finished rows", "--watch"));

    Cli.Result paused = cli.run("runs", "pause", run);

    assertThat(paused.exit()).isEqualTo(1);
    assertThat(paused.err())
        .isEqualToIgnoringNewLines("error: run cannot move from SUCCEEDED to PAUSED");
  }

  @Test
  void a_run_over_a_dataset_that_does_not_exist_is_refused_before_it_starts() {
    setUp("lonely", 1);

    Cli.Result started = cli.run("runs", "start", "--model", "lonely", "--dataset", "nowhere");

    assertThat(started.exit()).isEqualTo(1);
    assertThat(started.err()).contains("no dataset is called \"nowhere\"");
  }

  @Test
  void a_feature_the_ontology_does_not_have_is_named_by_the_server() {
    setUp("featured", 1);

    Cli.Result started =
        cli.run(
            "runs",
            "start",
            "--model",
            "featured",
            "--dataset",
            "featured rows",
            "--feature",
            "dog");

    assertThat(started.exit()).isEqualTo(1);
    assertThat(started.err())
        .contains("error: invalid run")
        .contains("features[0]: expected one of [cat, label], got \"dog\"");
  }

  /** Registers the model {@code name} and a dataset "{@code name} rows" of {@code rows} rows. */
  private void setUp(String name, int rows) {
    Path manifest =
        Manifests.write(
            folder, name + ".yaml", Manifests.detector(name, endpoint.uri().toString()));
    assertThat(cli.run("models", "create", "-f", manifest.toString()).exit()).isZero();
    assertThat(cli.run("datasets", "create", name + " rows").exit()).isZero();
    Path file = Manifests.write(folder, name + ".ndjson", Manifests.imageRows(name, rows));
    Cli.Result imported = cli.run("datasets", "import", name + " rows", file.toString());
    assertThat(imported.exit()).as(imported.both()).isZero();
  }

  private static String runId(Cli.Result started) {
    Matcher matcher = RUN_ID.matcher(started.out());
    assertThat(matcher.find()).as(started.both()).isTrue();
    return matcher.group();
  }
}
