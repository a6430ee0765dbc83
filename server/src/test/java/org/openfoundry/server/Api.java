package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** Small steps through the API that several tests take. */
public final class Api {
  private Api() {}

  public static JsonNode ok(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return HttpFixture.json(response);
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = HttpFixture.json(response).get("error");
    assertThat(error.get("code").asString()).isEqualTo(code);
    assertThat(error.get("message").asString()).isNotBlank();
    assertThat(error.get("details").isArray()).isTrue();
  }

  static String manifest(String name, String endpoint) {
    return """
        name: %s
        inference_endpoint: %s
        secrets: s3cr3t-token-for-the-model
        allowed_asset_types: [image]
        ontology:
          media_type: IMAGE
          tools:
            - name: cat
              tool: rectangle
          classifications:
            - name: label
              instructions: label
              type: radio
              options:
                - {label: tench, value: tench}
                - {label: goldfish, value: goldfish}
        inference_params_json_schema:
          properties:
            confidence: {type: number, default: 0.25, minimum: 0, maximum: 1}
        """
        .formatted(name, endpoint);
  }

  /** Imports NDJSON rows into the dataset; answers the import report. */
  public static JsonNode importRows(HttpFixture http, String key, String dataset, String ndjson) {
    return ok(
        http.post(
            "/api/v1/datasets/" + dataset + "/data-rows", key, "application/x-ndjson", ndjson),
        200);
  }

  public static JsonNode registerYaml(HttpFixture http, String key, String yaml) {
    return ok(http.post("/api/v1/models", key, "application/yaml", yaml), 201);
  }

  /** Starts a run of the model over the whole dataset; gives the run's id. */
  public static String run(HttpFixture http, String key, String model, String dataset) {
    return ok(
            http.postJson(
                "/api/v1/runs",
                key,
                "{\"model_id\": \"%s\", \"dataset_id\": \"%s\"}".formatted(model, dataset)),
            202)
        .get("id")
        .asString();
  }

  public static String dataset(HttpFixture http, String key, String name) {
    return ok(http.postJson("/api/v1/datasets", key, "{\"name\": \"" + name + "\"}"), 201)
        .get("id")
        .asString();
  }

  /** Waits, up to a bound, until the run has finished; answers its last view. */
  static JsonNode awaitFinished(HttpFixture http, String key, String run) {
    Duration bound = Duration.ofSeconds(30);
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() - deadline < 0) {
      // The event stream returns once the run has finished: no polling loop of our own.
      http.get("/api/v1/runs/" + run + "/events", key);
      JsonNode current = ok(http.get("/api/v1/runs/" + run, key), 200);
      if (!current.get("state").asString().matches("QUEUED|RUNNING|PAUSED")) {
        return current;
      }
    }
    throw new AssertionError("run " + run + " did not finish within " + bound);
  }

  /** Tests a model's connection on one image row. */
  static HttpResponse<String> testConnection(HttpFixture http, String key, String model) {
    return http.postJson(
        "/api/v1/models/" + model + "/test",
        key,
        "{\"data_row\": {\"row_data\": \"https://img.example.com/a.jpg\", \"media_type\": \"image\"}}");
  }
}
