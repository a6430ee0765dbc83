package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.assertError;
import static org.openfoundry.server.Api.ok;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.adapters.OpenAiVendor;
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

    JsonNode task = failedTask(model);
    assertThat(task.get("error").get("code").asString()).isEqualTo("OUTBOUND_BLOCKED");
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(endpoint.requests()).hasSize(before);
  }

  @Test
  void a_run_through_a_vendor_adapter_is_held_to_the_same_policy() {
    int before = endpoint.requests().size();
    String model =
        Api.registerYaml(http, key, OpenAiVendor.manifest("loopback vendor", endpoint.uri()))
            .get("id")
            .asString();
    assertError(test(model), 422, "OUTBOUND_BLOCKED");

    JsonNode task = failedTask(model);
    assertThat(task.get("error").get("code").asString()).isEqualTo("OUTBOUND_BLOCKED");
    assertThat(task.get("error").get("message").asString()).contains("127.0.0.1");
    assertThat(endpoint.requests()).hasSize(before);
  }

  /** Runs the model over one row; answers the task, after checking that the run failed. */
  private static JsonNode failedTask(String model) {
    String dataset = Api.dataset(http, key, "rows for " + model);
    Api.importRows(
        http,
        key,
        dataset,
        "{\"row_data\": \"https://img.example.com/1.jpg\", \"media_type\": \"image\"}\n");
    String run = Api.run(http, key, model, dataset);

    JsonNode finished = Api.awaitFinished(http, key, run);
    assertThat(finished.get("state").asString()).isEqualTo("FAILED");
    return ok(http.get("/api/v1/runs/" + run + "/tasks?state=FAILED", key), 200)
        .get("items")
        .get(0);
  }
}
