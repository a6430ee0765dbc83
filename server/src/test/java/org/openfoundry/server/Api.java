package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/** Small steps through the API that several tests take. */
final class Api {
  private Api() {}

  static JsonNode ok(HttpResponse<String> response, int status) {
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

  static JsonNode registerYaml(HttpFixture http, String key, String yaml) {
    return ok(http.post("/api/v1/models", key, "application/yaml", yaml), 201);
  }

  /** Starts a run of the model over the whole dataset; gives the run's id. */
  static String run(HttpFixture http, String key, String model, String dataset) {
    return ok(
            http.postJson(
                "/api/v1/runs",
                key,
                "{\"model_id\": \"%s\", \"dataset_id\": \"%s\"}".formatted(model, dataset)),
            202)
        .get("id")
        .asString();
  }

  static String dataset(HttpFixture http, String key, String name) {
    return ok(http.postJson("/api/v1/datasets", key, "{\"name\": \"" + name + "\"}"), 201)
        .get("id")
        .asString();
  }
}
