package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.assertError;
import static org.openfoundry.server.Api.ok;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.dispatch.FakeEndpoint;
import tools.jackson.databind.JsonNode;

/**
 * Model endpoints that resolve to loopback, private or cloud metadata addresses are refused when
 * they are called, unless the configuration allows their network; nothing is ever sent to them.
 */
class OutboundTest {
  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static HttpFixture http;
  private static String key;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.answering(FakeEndpoint.Reply.json("{\"label\": \"tench\"}"));
    server = new AppFixture();
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
  }

  private static String model(String name, String url) {
    return Api.registerYaml(http, key, Api.manifest(name, url)).get("id").asString();
  }

  private static HttpResponse<String> test(String model) {
    return Api.testConnection(http, key, model);
  }

  @Test
  void the_cloud_metadata_address_is_refused_at_call_time() {
    HttpResponse<String> response =
        test(model("metadata", "http://169.254.169.254/latest/meta-data"));

    assertError(response, 422, "OUTBOUND_BLOCKED");
    assertThat(HttpFixture.json(response).get("error").get("message").asString())
        .contains("169.254.169.254")
        .contains("cloud metadata");
  }

  @Test
  void a_private_address_is_refused_at_call_time() {
    HttpResponse<String> response = test(model("private", "http://10.20.30.40:8080/predict"));

    assertError(response, 422, "OUTBOUND_BLOCKED");
    assertThat(response.body()).contains("private address");
  }

  @Test
  void registration_warns_but_the_call_is_what_is_refused() {
    JsonNode model =
        Api.registerYaml(http, key, Api.manifest("warned", "http://[::ffff:169.254.169.254]/x"));

    assertThat(model.get("warnings").toString()).contains("cloud metadata");
    assertError(test(model.get("id").asString()), 422, "OUTBOUND_BLOCKED");
  }

  @Test
  void loopback_is_refused_unless_the_configuration_allows_it_and_a_run_fails_its_tasks() {
    int before = endpoint.requests().size();
    String model = model("loopback", endpoint.uri().toString());
    assertError(test(model), 422, "OUTBOUND_BLOCKED");

    String dataset = Api.dataset(http, key, "loopback rows");
    ok(
        http.post(
            "/api/v1/datasets/" + dataset + "/data-rows",
            key,
            "application/x-ndjson",
            "{\"row_data\": \"https://img.example.com/1.jpg\", \"media_type\": \"image\"}\n"),
        200);
    String run =
        ok(
                http.postJson(
                    "/api/v1/runs",
                    key,
                    "{\"model_id\": \"" + model + "\", \"dataset_id\": \"" + dataset + "\"}"),
                202)
            .get("id")
            .asString();

    JsonNode finished = awaitFinished(run);
    assertThat(finished.get("state").asString()).isEqualTo("FAILED");
    JsonNode task =
        ok(http.get("/api/v1/runs/" + run + "/tasks?state=FAILED", key), 200).get("items").get(0);
    assertThat(task.get("error").get("code").asString()).isEqualTo("OUTBOUND_BLOCKED");
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(endpoint.requests()).hasSize(before);
  }

  private static JsonNode awaitFinished(String run) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      // The event stream returns once the run has finished: no polling loop of our own.
      http.get("/api/v1/runs/" + run + "/events", key);
      JsonNode current = ok(http.get("/api/v1/runs/" + run, key), 200);
      if (!current.get("state").asString().matches("QUEUED|RUNNING|PAUSED")) {
        return current;
      }
    }
    throw new AssertionError("run " + run + " did not finish within 30 s");
  }
}
