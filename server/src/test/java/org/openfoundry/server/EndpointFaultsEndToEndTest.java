package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import org.openfoundry.dispatch.FakeEndpoint.Reply;
import tools.jackson.databind.JsonNode;

/**
 * A 503 storm met through the whole server: one row's storm passes and it succeeds, the other's
 * outlasts its attempts and it fails; the API reports each task's attempts, status and error code,
 * and exports the row that succeeded. The backoffs pass by moving the server's clock.
 */
class EndpointFaultsEndToEndTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);

  private final FakeEndpoint endpoint =
      FakeEndpoint.start(
          request ->
              request.body().contains("\"storm-2\"")
                      || request.header("OpenFoundry-Attempt").equals("1")
                  ? new Reply.Respond(
                      503,
                      Map.of("Content-Type", "text/html"),
                      "<html>" + "overloaded ".repeat(200) + "</html>",
                      Duration.ZERO)
                  : Reply.json("{\"cat\": {\"boxes\": [[0, 0, 10, 10]]}}"));
  private final AppFixture server =
      new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
  private final HttpFixture http = server.http;

  @AfterEach
  void stop() {
    server.close();
    endpoint.close();
  }

  @Test
  void a_503_storm_ends_one_row_succeeded_after_a_retry_and_the_other_failed_with_its_status() {
    String key = server.memberKey;
    String model =
        Api.registerYaml(
                http,
                key,
                Api.manifest("storm detector", endpoint.uri().toString()) + "max_attempts: 3\n")
            .get("id")
            .asString();
    String dataset = Api.dataset(http, key, "storm rows");
    ok(
        http.post(
            "/api/v1/datasets/" + dataset + "/data-rows",
            key,
            "application/x-ndjson",
            """
            {"row_data": "https://img.example.com/1.jpg", "global_key": "storm-1", "media_type": "image"}
            {"row_data": "https://img.example.com/2.jpg", "global_key": "storm-2", "media_type": "image"}
            """),
        200);
    String run = Api.run(http, key, model, dataset);

    JsonNode finished = awaitFinished(run, key);

    assertThat(finished.get("state").asString()).isEqualTo("PARTIALLY_SUCCEEDED");
    JsonNode failed =
        ok(http.get("/api/v1/runs/" + run + "/tasks?state=FAILED", key), 200).get("items");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).get("attempts").asInt()).isEqualTo(3);
    assertThat(failed.get(0).get("last_status").asInt()).isEqualTo(503);
    assertThat(failed.get(0).get("error").get("code").asString()).isEqualTo("ENDPOINT_HTTP_503");
    JsonNode succeeded =
        ok(http.get("/api/v1/runs/" + run + "/tasks?state=SUCCEEDED", key), 200).get("items");
    assertThat(succeeded).hasSize(1);
    assertThat(succeeded.get(0).get("attempts").asInt()).isEqualTo(2);
    assertThat(
            http.get("/api/v1/runs/" + run + "/predictions?format=raw", key)
                .body()
                .lines()
                .toList())
        .hasSize(1);
    assertThat(endpoint.requests()).hasSize(5);
  }

  /** Polls the run, moving the server's clock past each backoff (at most 4 s for attempt 3). */
  private JsonNode awaitFinished(String run, String key) {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode current = ok(http.get("/api/v1/runs/" + run, key), 200);
      String state = current.get("state").asString();
      if (!state.equals("QUEUED") && !state.equals("RUNNING")) {
        return current;
      }
      server.clock.advance(Duration.ofSeconds(1));
      LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
    }
    throw new AssertionError("the run did not finish within " + WITHIN);
  }
}
