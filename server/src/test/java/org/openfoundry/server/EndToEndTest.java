package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.ok;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openfoundry.adapters.OpenAiVendor;
import org.openfoundry.dispatch.FakeEndpoint;
import tools.jackson.databind.JsonNode;

/**
 * Register a model, import rows (one an uploaded file), test the connection, run the model over the
 * dataset against a fake endpoint, follow the run's events until it finishes, export; and a run of
 * a model behind a vendor adapter, which reaches its vendor in the vendor's format.
 */
class EndToEndTest {
  private static final String RESPONSE =
      "{\"cat\": {\"boxes\": [[0, 0, 10, 10]], \"scores\": [0.9]}, \"label\": \"tench\"}";

  private static FakeEndpoint endpoint;
  private static AppFixture server;
  private static HttpFixture http;
  private static String key;

  @BeforeAll
  static void start() {
    endpoint = FakeEndpoint.answering(FakeEndpoint.Reply.json(RESPONSE));
    server = new AppFixture(Map.of("FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "127.0.0.0/8"));
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
    endpoint.close();
  }

  @Test
  void register_import_test_run_follow_and_export() throws Exception {
    JsonNode model =
        Api.registerYaml(http, key, Api.manifest("e2e detector", endpoint.uri().toString()));
    String modelId = model.get("id").asString();
    assertThat(model.get("warnings")).isEmpty();

    JsonNode upload = ok(http.post("/api/v1/files", key, "image/png", "not really a png"), 201);
    String dataset = Api.dataset(http, key, "e2e rows");
    String rows =
        """
        {"row_data": "https://img.example.com/1.jpg", "global_key": "e2e-1", "media_type": "image"}
        {"row_data": "https://img.example.com/2.jpg", "global_key": "e2e-2", "media_type": "image"}
        {"row_data": "https://img.example.com/3.jpg", "global_key": "e2e-3", "media_type": "image"}
        {"row_data": "%s", "global_key": "e2e-upload", "media_type": "image"}
        """
            .formatted(upload.get("row_data").asString());
    JsonNode imported =
        ok(
            http.post(
                "/api/v1/datasets/" + dataset + "/data-rows", key, "application/x-ndjson", rows),
            200);
    assertThat(imported.get("imported").asLong()).isEqualTo(4);

    JsonNode test =
        ok(
            http.postJson(
                "/api/v1/models/" + modelId + "/test",
                key,
                "{\"data_row\": {\"row_data\": \"https://img.example.com/t.jpg\", \"media_type\": \"image\"}}"),
            200);
    assertThat(test.get("outcome").asString()).isEqualTo("succeeded");
    assertThat(test.get("request").get("headers").get("Authorization").asString())
        .isEqualTo("Bearer ****");
    assertThat(test.get("request").get("body").get("inference_params").get("confidence").asDouble())
        .isEqualTo(0.25);
    assertThat(test.get("response").get("status").asInt()).isEqualTo(200);
    assertThat(test.get("predictions")).hasSize(2);
    assertThat(test.toString()).doesNotContain("s3cr3t-token-for-the-model");
    assertThat(endpoint.requests().getLast().header("Authorization"))
        .isEqualTo("Bearer s3cr3t-token-for-the-model");

    JsonNode run =
        ok(
            http.postJson(
                "/api/v1/runs",
                key,
                "{\"model_id\": \""
                    + modelId
                    + "\", \"dataset_id\": \""
                    + dataset
                    + "\", \"inference_params\": {\"confidence\": 0.5}}"),
            202);
    String runId = run.get("id").asString();

    List<String> events = events("/api/v1/runs/" + runId + "/events");
    assertThat(events.getLast()).startsWith("event: finished");
    JsonNode finished = dataOf(events.getLast());
    assertThat(finished.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(finished.get("counts").get("succeeded").asLong()).isEqualTo(4);
    assertThat(finished.get("percent").asDouble()).isEqualTo(100.0);

    JsonNode done = ok(http.get("/api/v1/runs/" + runId, key), 200);
    assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("counts").get("total").asLong()).isEqualTo(4);
    JsonNode tasks =
        ok(http.get("/api/v1/runs/" + runId + "/tasks?state=SUCCEEDED&limit=3", key), 200);
    assertThat(tasks.get("items")).hasSize(3);
    assertThat(tasks.has("next_cursor")).isTrue();

    List<String> ndjson =
        http.get("/api/v1/runs/" + runId + "/predictions?format=ndjson", key)
            .body()
            .lines()
            .toList();
    assertThat(ndjson).hasSize(8);
    assertThat(ndjson).anySatisfy(line -> assertThat(line).contains("\"globalKey\":\"e2e-2\""));
    JsonNode coco =
        HttpFixture.json(http.get("/api/v1/runs/" + runId + "/predictions?format=coco", key));
    assertThat(coco.get("annotations")).hasSize(4);
    List<String> raw =
        http.get("/api/v1/runs/" + runId + "/predictions?format=raw", key).body().lines().toList();
    assertThat(raw).hasSize(4);
    assertThat(
            HttpFixture.json(raw.getFirst())
                .get("response")
                .get("cat")
                .get("scores")
                .get(0)
                .asDouble())
        .isEqualTo(0.9);

    String signed =
        endpoint.requests().stream()
            .map(request -> HttpFixture.json(request.body()).get("data_row"))
            .filter(row -> row.get("global_key").asString().equals("e2e-upload"))
            .map(row -> row.get("row_data").asString())
            .findFirst()
            .orElseThrow();
    assertThat(signed)
        .startsWith("http://localhost:" + server.app.port() + "/files/")
        .contains("signature=");
    URI file = URI.create(signed);
    assertThat(http.get(file.getRawPath() + "?" + file.getRawQuery(), null).body())
        .isEqualTo("not really a png");
    assertThat(endpoint.requests())
        .allSatisfy(request -> assertThat(request.header("Idempotency-Key")).isNotBlank());

    String metrics = http.get("/metrics", server.metricsKey).body();
    assertThat(metrics)
        .contains(
            "foundry_task_outcomes_total{error_code=\"none\",model=\""
                + modelId
                + "\",outcome=\"succeeded\"} 4.0")
        .contains(
            "foundry_model_requests_seconds_count{model=\""
                + modelId
                + "\",outcome=\"succeeded\"} 4");
  }

  @Test
  void a_run_of_an_openai_model_sends_chat_completions_and_stores_the_predictions() {
    String answer = "{\"weather\": \"rainy\"}";
    try (FakeEndpoint vendor =
        FakeEndpoint.answering(FakeEndpoint.Reply.json(OpenAiVendor.chatCompletion(answer)))) {
      String model = openAiModel("weather vision", vendor);
      String dataset = Api.dataset(http, key, "weather photos");
      Api.importRows(
          http,
          key,
          dataset,
          """
          {"row_data": "https://img.example.com/rain-1.jpg", "global_key": "rain-1", "media_type": "image"}
          {"row_data": "https://img.example.com/rain-2.jpg", "global_key": "rain-2", "media_type": "image"}
          """);

      String run = Api.run(http, key, model, dataset);
      JsonNode finished = Api.awaitFinished(http, key, run);

      assertThat(finished.get("state").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
      assertThat(finished.get("counts").get("succeeded").asLong()).isEqualTo(2);
      assertThat(vendor.requests()).hasSize(2);
      assertThat(vendor.requests())
          .allSatisfy(
              request -> {
                assertThat(request.path()).isEqualTo("/v1/chat/completions");
                assertThat(request.header("Authorization"))
                    .isEqualTo("Bearer sk-test-for-the-vendor");
                JsonNode body = HttpFixture.json(request.body());
                assertThat(body.has("data_row")).as("a field of our wire contract").isFalse();
                assertThat(body.get("model").asString()).isEqualTo(OpenAiVendor.MODEL);
                assertThat(body.at("/response_format/type").asString()).isEqualTo("json_object");
                assertThat(body.at("/messages/0/role").asString()).isEqualTo("system");
                assertThat(body.at("/messages/1/role").asString()).isEqualTo("user");
                assertThat(body.at("/messages/1/content/0/image_url/url").asString())
                    .startsWith("https://img.example.com/rain-");
              });
      List<JsonNode> raw =
          http.get("/api/v1/runs/" + run + "/predictions?format=raw", key)
              .body()
              .lines()
              .map(HttpFixture::json)
              .toList();
      assertThat(raw)
          .hasSize(2)
          .allSatisfy(
              line -> assertThat(line.at("/response/id").asString()).isEqualTo("chatcmpl-1"));
      List<String> ndjson =
          http.get("/api/v1/runs/" + run + "/predictions?format=ndjson", key)
              .body()
              .lines()
              .toList();
      assertThat(ndjson)
          .hasSize(2)
          .allSatisfy(line -> assertThat(line).contains("\"weather\"").contains("rainy"));
    }
  }

  @Test
  void a_connection_test_of_an_openai_model_shows_the_vendors_request_and_reply() {
    try (FakeEndpoint vendor =
        FakeEndpoint.answering(
            FakeEndpoint.Reply.json(OpenAiVendor.chatCompletion("{\"weather\": \"rainy\"}")))) {
      String model = openAiModel("weather check", vendor);

      JsonNode test = testConnection(model);
      assertThat(test.get("outcome").asString()).as(test.toString()).isEqualTo("succeeded");
      assertThat(test.at("/request/url").asString()).endsWith("/v1/chat/completions");
      assertThat(test.at("/request/headers/Authorization").asString()).isEqualTo("Bearer ****");
      assertThat(test.at("/request/body/model").asString()).isEqualTo(OpenAiVendor.MODEL);
      assertThat(test.at("/request/body/messages/1/content/0/image_url/url").asString())
          .isEqualTo("https://img.example.com/t.jpg");
      assertThat(test.at("/request/headers/Idempotency-Key").asString()).startsWith("test_");
      assertThat(test.at("/response/status").asInt()).isEqualTo(200);
      assertThat(test.at("/response/latency_ms").isIntegralNumber()).isTrue();
      assertThat(test.at("/response/body/id").asString()).isEqualTo("chatcmpl-1");
      assertThat(test.get("predictions").toString()).contains("rainy");
      assertThat(test.toString()).doesNotContain("sk-test-for-the-vendor");
      assertThat(vendor.requests().getLast().header("Authorization"))
          .isEqualTo("Bearer sk-test-for-the-vendor");

      vendor.script(
          FakeEndpoint.always(
              FakeEndpoint.Reply.json(400, "{\"error\": {\"message\": \"bad model\"}}")));
      JsonNode refused = testConnection(model);
      assertThat(refused.get("outcome").asString()).isEqualTo("failed");
      assertThat(refused.at("/error/code").asString()).isEqualTo("ADAPTER_ENDPOINT_FAILED");
      assertThat(refused.at("/response/status").asInt()).isEqualTo(400);
      assertThat(refused.at("/response/body/error/message").asString()).isEqualTo("bad model");
    }
  }

  private static JsonNode testConnection(String model) {
    return ok(
        http.postJson(
            "/api/v1/models/" + model + "/test",
            key,
            "{\"data_row\": {\"row_data\": \"https://img.example.com/t.jpg\"}}"),
        200);
  }

  private static String openAiModel(String name, FakeEndpoint vendor) {
    return Api.registerYaml(
            http,
            key,
            OpenAiVendor.manifest(name, vendor.uri()) + "secrets: sk-test-for-the-vendor\n")
        .get("id")
        .asString();
  }

  /** Reads the event stream to its end (the server closes it when the run finishes). */
  private static List<String> events(String path) throws Exception {
    HttpRequest request =
        http.request(path, key)
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> events = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (current.length() > 0 && current.charAt(0) != ':') {
            events.add(current.toString());
          }
          current.setLength(0);
        } else {
          current.append(current.length() > 0 ? "\n" : "").append(line);
        }
      }
    }
    assertThat(events).isNotEmpty();
    return events;
  }

  private static JsonNode dataOf(String event) {
    return HttpFixture.json(
        event
            .lines()
            .filter(line -> line.startsWith("data: "))
            .findFirst()
            .orElseThrow()
            .substring(6));
  }
}
