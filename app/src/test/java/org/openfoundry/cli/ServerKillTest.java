package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.cli.client.FoundryClient;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.engine.JavaProcess;
import org.openfoundry.engine.TaskNamingModel;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Kills the real server ({@code foundry serve} in a child JVM, on SQLite) with SIGKILL at seeded
 * random points of a run created through the API, restarting it on the same data folder each time,
 * and checks through the API that every data row ends with exactly one result and that no stored
 * result changed after it was first seen. {@code -Dfoundry.kill.kills=<n>} kills more often (ten by
 * default), {@code -Dfoundry.kill.seed=<n>} picks other points.
 */
@Timeout(600)
class ServerKillTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long SEED = Long.getLong("foundry.kill.seed", 0x5E_2026L);
  private static final int ROWS = 2_000;
  private static final int KILLS = Integer.getInteger("foundry.kill.kills", 10);
  private static final Duration WITHIN = Duration.ofSeconds(120);
  // A lease of two seconds: a killed server's calls are taken again soon after the restart.
  private static final Map<String, String> SETTINGS =
      Map.of(
          "FOUNDRY_DISPATCH_LEASE_DURATION", "2s",
          "FOUNDRY_DISPATCH_POLL_INTERVAL", "50ms");

  private static final Set<String> FINISHED =
      Set.of("SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "CANCELLED");

  @TempDir Path folder;

  @Test
  void every_row_gets_exactly_one_result_however_often_the_server_is_killed() {
    List<Long> points = killPoints(new SplittableRandom(SEED));
    Path dataDir = folder.resolve("data");
    Map<String, String> firstSeen = new HashMap<>();
    List<Long> killedAt = new ArrayList<>();
    long began = System.nanoTime();
    try (FakeEndpoint endpoint =
        FakeEndpoint.start(
            TaskNamingModel.answers(SEED, Duration.ofMillis(2), Duration.ofMillis(18)))) {
      String run;
      try (ServerProcess server = ServerProcess.start("serve-0", dataDir, SETTINGS, folder);
          FoundryClient client = server.admin()) {
        run = startRun(client, endpoint);
        killedAt.add(awaitAndKill(server, client, run, points.getFirst()));
      }
      for (int life = 1; life < KILLS; life++) {
        try (ServerProcess server =
                ServerProcess.start("serve-" + life, dataDir, SETTINGS, folder);
            FoundryClient client = server.admin()) {
          assertUnchanged(stored(client, run), firstSeen);
          killedAt.add(awaitAndKill(server, client, run, points.get(life)));
        }
      }
      try (ServerProcess last = ServerProcess.start("serve-last", dataDir, SETTINGS, folder);
          FoundryClient client = last.admin()) {
        assertUnchanged(stored(client, run), firstSeen);
        await(
            "the run to finish",
            () -> FINISHED.contains(client.get("/api/v1/runs/" + run).path("state").asString()));
        Map<String, String> stored = stored(client, run);
        assertUnchanged(stored, firstSeen);

        JsonNode finished = client.get("/api/v1/runs/" + run);
        assertThat(finished.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(finished.path("counts").path("succeeded").asLong()).isEqualTo(ROWS);
        assertThat(finished.path("counts").path("total").asLong()).isEqualTo(ROWS);
        // One raw result per task and one exported prediction per row: the model gave one box.
        assertThat(stored).hasSize(2 * ROWS).containsKeys("row killed-1", "row killed-" + ROWS);
        last.process().stop();
      }
      System.out.printf(
          "%d rows, %d SIGKILLs of the server (after %s results), %d restarts: %d requests to"
              + " the endpoint, %.1f s in all%n",
          ROWS,
          KILLS,
          killedAt,
          KILLS,
          endpoint.requests().size(),
          (System.nanoTime() - began) / 1e9);
      assertThat(killedAt)
          .as("every kill came before the run was over")
          .allMatch(done -> done < ROWS);
      // Kills landed on calls in flight: those were made again, so the endpoint saw more than ROWS.
      assertThat(endpoint.requests().size()).isGreaterThan(ROWS);
    }
  }

  /** A model, a dataset of {@code ROWS} image rows and a run over it, all through the API. */
  private static String startRun(FoundryClient client, FakeEndpoint endpoint) {
    String model =
        client
            .send(
                "POST",
                "/api/v1/models",
                FoundryClient.YAML,
                BodyPublishers.ofString(
                    TaskNamingModel.manifest(
                        "killed server detector", endpoint.uri().toString(), 8)))
            .path("id")
            .asString();
    String dataset =
        client
            .postJson("/api/v1/datasets", client.object().put("name", "killed"))
            .path("id")
            .asString();
    JsonNode imported =
        client.upload(
            "/api/v1/datasets/" + dataset + "/data-rows",
            FoundryClient.NDJSON,
            BodyPublishers.ofString(Manifests.imageRows("killed", ROWS)));
    assertThat(imported.path("imported").asInt()).isEqualTo(ROWS);
    ObjectNode body = client.object().put("model_id", model).put("dataset_id", dataset);
    body.putArray("features").add("person");
    return client.postJson("/api/v1/runs", body).path("id").asString();
  }

  /**
   * Where to kill, in stored results: {@code KILLS} points drawn from the seed within the first 70%
   * of the run, in order. A point the restarted server has passed already (it works while the
   * exports are read) means a kill at once; the last 30% leave room for that.
   */
  private static List<Long> killPoints(SplittableRandom random) {
    return random.longs(KILLS, 0, ROWS * 7 / 10).sorted().boxed().toList();
  }

  /** Kills the server once it has stored {@code target} results; returns how many it had. */
  private static long awaitAndKill(
      ServerProcess server, FoundryClient client, String run, long target) {
    JavaProcess process = server.process();
    long[] seen = new long[1];
    await(
        target + " results from " + process.name(),
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                "server " + process.name() + " ended on its own:\n" + process.output());
          }
          seen[0] = succeeded(client, run);
          return seen[0] >= target;
        });
    process.kill();
    return seen[0];
  }

  private static long succeeded(FoundryClient client, String run) {
    return client.get("/api/v1/runs/" + run).path("counts").path("succeeded").asLong();
  }

  /**
   * What the server stored, as its exports give it: by task id, the attempt and the model's
   * response (raw export); by {@code row <global key>}, the prediction (NDJSON export). A second
   * result for a task, or a second prediction for a row, fails.
   */
  private static Map<String, String> stored(FoundryClient client, String run) {
    Map<String, String> stored = new TreeMap<>();
    Set<String> rows = new HashSet<>();
    export(client, run, "raw")
        .forEach(
            line -> {
              String task = line.path("task_id").asString();
              String result = line.path("attempt").asInt() + " " + line.path("response");
              assertThat(stored.put(task, result)).as("a second result for task %s", task).isNull();
              assertThat(rows.add(line.path("data_row").path("id").asString()))
                  .as("a second result for the row of task %s", task)
                  .isTrue();
            });
    export(client, run, "ndjson")
        .forEach(
            line -> {
              String row = "row " + line.path("dataRow").path("globalKey").asString();
              assertThat(stored.put(row, line.toString()))
                  .as("a second prediction for %s", row)
                  .isNull();
            });
    return stored;
  }

  private static List<JsonNode> export(FoundryClient client, String run, String format) {
    StringWriter out = new StringWriter();
    client.downloadText("/api/v1/runs/" + run + "/predictions?format=" + format, out);
    return out.toString().lines().map(JSON::readTree).toList();
  }

  /** Everything seen stored before is still as it was first seen; new things are remembered. */
  private static void assertUnchanged(Map<String, String> now, Map<String, String> firstSeen) {
    firstSeen.forEach(
        (key, seen) -> assertThat(now.get(key)).as("what is stored for %s", key).isEqualTo(seen));
    now.forEach(firstSeen::putIfAbsent);
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WITHIN + " for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }
}
