package org.openfoundry.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.Api.assertError;
import static org.openfoundry.server.Api.ok;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ModelsAndDatasetsTest {
  // More than one batch of rows (1,000) fits, so a store that commits as it reads would show.
  private static final int MAX_IMPORT = 200_000;
  private static final String IMPORTS = "route=\"/api/v1/datasets/{id}/data-rows\"";

  private static AppFixture server;
  private static HttpFixture http;
  private static String key;

  @BeforeAll
  static void start() {
    // No workers: runs stay queued, and no model endpoint is ever called.
    server =
        new AppFixture(
            java.util.Map.of(
                "FOUNDRY_SERVER_ROLE",
                "api",
                "FOUNDRY_HTTP_MAX_IMPORT_SIZE",
                Integer.toString(MAX_IMPORT)));
    http = server.http;
    key = server.memberKey;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_yaml_manifest_registers_a_model_whose_secret_is_never_shown() {
    JsonNode model =
        Api.registerYaml(http, key, Api.manifest("yaml model", "https://203.0.113.10/predict"));

    assertThat(model.get("id").asString()).startsWith("mdl_");
    assertThat(model.get("latest_version").asInt()).isEqualTo(1);
    assertThat(model.get("has_secret").asBoolean()).isTrue();
    assertThat(model.get("manifest").get("ontology").get("tools").get(0).get("name").asString())
        .isEqualTo("cat");
    String id = model.get("id").asString();
    for (String path :
        new String[] {
          "/api/v1/models/" + id, "/api/v1/models/" + id + "/versions", "/api/v1/models"
        }) {
      assertThat(http.get(path, key).body()).doesNotContain("s3cr3t-token-for-the-model");
    }
    assertThat(model.toString()).doesNotContain("s3cr3t-token-for-the-model");
  }

  @Test
  void a_manifest_with_a_bad_line_is_400_with_the_line_and_column() {
    String yaml =
        "name: broken\ninference_endpoint: https://203.0.113.10/p\nrequests_per_second: fast\n";

    HttpResponse<String> response = http.post("/api/v1/models", key, "application/yaml", yaml);

    assertError(response, 400, "INVALID_MANIFEST");
    JsonNode detail = HttpFixture.json(response).get("error").get("details").get(0);
    assertThat(detail.get("path").asString()).isEqualTo("requests_per_second");
    assertThat(detail.get("line").asInt()).isEqualTo(3);
    assertThat(detail.get("column").asInt()).isPositive();
    assertThat(detail.get("source").asString()).isEqualTo("model.yaml");
  }

  @Test
  void the_form_registers_a_model_and_put_makes_a_new_version_keeping_the_secret() {
    JsonNode model =
        ok(
            http.postJson(
                "/api/v1/models",
                key,
                """
                {"data_type": "image", "name": "form model",
                 "inference_endpoint": "https://203.0.113.10/form", "secret": "form-secret-123"}
                """),
            201);
    String id = model.get("id").asString();

    JsonNode updated =
        ok(
            http.send(
                http.request("/api/v1/models/" + id, key)
                    .header("Content-Type", "application/json")
                    .PUT(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            """
                            {"data_type": "image", "name": "form model",
                             "inference_endpoint": "https://203.0.113.10/v2",
                             "description": "second"}
                            """))),
            200);

    assertThat(updated.get("latest_version").asInt()).isEqualTo(2);
    assertThat(updated.get("has_secret").asBoolean()).isTrue();
    assertThat(updated.get("manifest").get("inference_endpoint").asString())
        .isEqualTo("https://203.0.113.10/v2");
    JsonNode versions = ok(http.get("/api/v1/models/" + id + "/versions?limit=1", key), 200);
    assertThat(versions.get("items")).hasSize(1);
    JsonNode second =
        ok(
            http.get(
                "/api/v1/models/"
                    + id
                    + "/versions?limit=1&cursor="
                    + versions.get("next_cursor").asString(),
                key),
            200);
    assertThat(second.get("items").get(0).get("version").asInt()).isEqualTo(2);
    assertThat(second.has("next_cursor")).isFalse();
  }

  @Test
  void a_taken_name_is_409_and_archiving_frees_it() {
    String yaml = Api.manifest("unique name", "https://203.0.113.10/u");
    String id = Api.registerYaml(http, key, yaml).get("id").asString();

    assertError(http.post("/api/v1/models", key, "application/yaml", yaml), 409, "CONFLICT");
    JsonNode archived = ok(http.delete("/api/v1/models/" + id, key), 200);
    assertThat(archived.get("archived_at").asString()).isNotBlank();
    Api.registerYaml(http, key, yaml);
  }

  @Test
  void bad_form_fields_are_400_naming_each_field() {
    HttpResponse<String> response =
        http.postJson(
            "/api/v1/models",
            key,
            "{\"data_type\": \"image\", \"name\": \"x\", \"inference_endpoint\": 5, \"colour\": 1}");

    assertError(response, 400, "INVALID_INPUT");
    assertThat(response.body()).contains("inference_endpoint").contains("colour");
  }

  @Test
  void an_unknown_model_is_404() {
    assertError(http.get("/api/v1/models/mdl_01NOSUCHMODEL", key), 404, "NOT_FOUND");
  }

  @Test
  void ndjson_rows_are_imported_with_each_bad_line_named_and_paged_back() {
    String dataset = Api.dataset(http, key, "street scenes");
    String ndjson =
        """
        {"row_data": "https://img.example.com/1.jpg", "global_key": "street-1", "media_type": "image"}
        {"row_data": "https://img.example.com/2.jpg", "global_key": "street-2", "media_type": "IMAGE"}
        {"row_data": "https://img.example.com/3.jpg", "media_type": "sound"}
        not json at all
        {"row_data": "https://img.example.com/1b.jpg", "global_key": "street-1", "media_type": "image"}

        {"row_data": "https://img.example.com/4.jpg", "global_key": "street-4", "media_type": "image", "metadata": {"camera": 2}}
        """;

    JsonNode report =
        ok(
            http.post(
                "/api/v1/datasets/" + dataset + "/data-rows", key, "application/x-ndjson", ndjson),
            200);

    assertThat(report.get("imported").asLong()).isEqualTo(3);
    assertThat(report.get("rejected").asLong()).isEqualTo(3);
    assertThat(report.get("problems"))
        .extracting(problem -> problem.get("line").asInt())
        .containsExactly(3, 4, 5);
    assertThat(report.get("problems").get(0).get("path").asString()).isEqualTo("media_type");
    assertThat(ok(http.get("/api/v1/datasets/" + dataset, key), 200).get("row_count").asLong())
        .isEqualTo(3);
    JsonNode page = ok(http.get("/api/v1/datasets/" + dataset + "/data-rows?limit=2", key), 200);
    assertThat(page.get("items")).hasSize(2);
    JsonNode rest =
        ok(
            http.get(
                "/api/v1/datasets/"
                    + dataset
                    + "/data-rows?limit=2&cursor="
                    + page.get("next_cursor").asString(),
                key),
            200);
    assertThat(rest.get("items").get(0).get("global_key").asString()).isEqualTo("street-4");
    assertThat(rest.get("items").get(0).get("metadata").get("camera").asInt()).isEqualTo(2);
  }

  @Test
  void a_json_array_import_names_the_line_of_each_bad_row() {
    String dataset = Api.dataset(http, key, "array import");
    String array =
        """
        [
          {"row_data": "hello there", "media_type": "text"},
          {"row_data": "", "media_type": "text"},
          {"row_data": "general kenobi", "media_type": "text", "extra": true}
        ]
        """;

    JsonNode report =
        ok(http.postJson("/api/v1/datasets/" + dataset + "/data-rows", key, array), 200);

    assertThat(report.get("imported").asLong()).as(report.toString()).isEqualTo(1);
    assertThat(report.get("problems"))
        .extracting(problem -> problem.get("line").asInt())
        .containsExactly(3, 4);
  }

  @Test
  void an_ndjson_line_over_the_limit_is_refused_alone() {
    String dataset = Api.dataset(http, key, "long lines");
    String ndjson =
        "{\"row_data\": \""
            + "x".repeat(5000)
            + "\", \"media_type\": \"text\"}\n"
            + "{\"row_data\": \"short\", \"media_type\": \"text\"}\n";

    JsonNode report =
        ok(
            http.post(
                "/api/v1/datasets/" + dataset + "/data-rows", key, "application/x-ndjson", ndjson),
            200);

    assertThat(report.get("imported").asLong()).isEqualTo(1);
    assertThat(report.get("problems").get(0).get("message").asString())
        .isEqualTo("the line is longer than 4096 characters, the limit");
  }

  @Test
  void a_line_that_is_not_utf8_is_refused_naming_its_byte_instead_of_stored_with_replacements() {
    String dataset = Api.dataset(http, key, "latin-1");
    byte[] body =
        bytes(
            "{\"row_data\": \"one\", \"media_type\": \"text\"}\n".getBytes(UTF_8),
            "{\"row_data\": \"caf\u00e9\", \"media_type\": \"text\"}\n".getBytes(ISO_8859_1),
            "{\"row_data\": \"cr\u00e8me\", \"media_type\": \"text\"}\n".getBytes(UTF_8));

    JsonNode report =
        ok(
            http.post(
                "/api/v1/datasets/" + dataset + "/data-rows", key, "application/x-ndjson", body),
            200);

    assertThat(report.get("imported").asLong()).as(report.toString()).isEqualTo(2);
    assertThat(report.get("problems")).hasSize(1);
    assertThat(report.get("problems").get(0).get("line").asInt()).isEqualTo(2);
    assertThat(report.get("problems").get(0).get("message").asString())
        .isEqualTo(
            "expected UTF-8 text, got the byte 0xE9 at byte 18 of the line (byte 60 of the input)");
    assertThat(ok(http.get("/api/v1/datasets/" + dataset + "/data-rows", key), 200).get("items"))
        .extracting(row -> row.get("row_data").asString())
        .containsExactly("one", "cr\u00e8me");
  }

  @Test
  void files_saved_with_a_byte_order_mark_import_every_row() {
    String lines = Api.dataset(http, key, "marked lines");
    String array = Api.dataset(http, key, "marked array");
    String ndjson =
        "\uFEFF{\"row_data\": \"one\", \"media_type\": \"text\"}\r\n"
            + "{\"row_data\": \"two\", \"media_type\": \"text\"}\r\n";

    JsonNode fromLines =
        ok(
            http.post(
                "/api/v1/datasets/" + lines + "/data-rows", key, "application/x-ndjson", ndjson),
            200);
    JsonNode fromArray =
        ok(
            http.postJson(
                "/api/v1/datasets/" + array + "/data-rows",
                key,
                "\uFEFF[{\"row_data\": \"one\", \"media_type\": \"text\"}]"),
            200);

    assertThat(fromLines.get("imported").asLong()).as(fromLines.toString()).isEqualTo(2);
    assertThat(fromArray.get("imported").asLong()).as(fromArray.toString()).isEqualTo(1);
  }

  @Test
  void an_import_refused_as_too_large_part_way_through_stores_none_of_its_rows() {
    String dataset = Api.dataset(http, key, "too large streamed");
    byte[] body = imageRows("too-large", 3000);
    assertThat(body.length).isGreaterThan(MAX_IMPORT);

    // Streamed, so no Content-Length gives the size away before the rows are read.
    HttpResponse<String> response =
        http.send(
            http.request("/api/v1/datasets/" + dataset + "/data-rows", key)
                .header("Content-Type", "application/x-ndjson")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));

    assertError(response, 413, "PAYLOAD_TOO_LARGE");
    assertThat(ok(http.get("/api/v1/datasets/" + dataset, key), 200).get("row_count").asLong())
        .isZero();
    assertThat(server.dataDir.resolve("imports")).isEmptyDirectory();
  }

  @Test
  void an_import_cut_off_by_its_client_stores_none_of_its_rows() throws IOException {
    String dataset = Api.dataset(http, key, "cut off");
    byte[] rows = imageRows("cut-off", 1500);
    long handled = importsHandled();

    try (Socket socket = new Socket("127.0.0.1", http.uri("/").getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/datasets/"
                  + dataset
                  + "/data-rows HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                  + rows.length * 2
                  + "\r\n\r\n")
              .getBytes(UTF_8));
      out.write(rows);
      out.flush();
    }
    awaitImportsHandled(handled + 1);

    assertThat(ok(http.get("/api/v1/datasets/" + dataset, key), 200).get("row_count").asLong())
        .isZero();
    assertThat(server.dataDir.resolve("imports")).isEmptyDirectory();
  }

  @Test
  void a_run_with_parameters_outside_the_schema_is_422_and_an_unknown_feature_400() {
    String model =
        Api.registerYaml(http, key, Api.manifest("strict params", "https://203.0.113.10/s"))
            .get("id")
            .asString();
    String dataset = Api.dataset(http, key, "for runs");

    HttpResponse<String> params =
        http.postJson(
            "/api/v1/runs",
            key,
            "{\"model_id\": \""
                + model
                + "\", \"dataset_id\": \""
                + dataset
                + "\", \"inference_params\": {\"confidence\": \"high\"}}");
    HttpResponse<String> feature =
        http.postJson(
            "/api/v1/runs",
            key,
            "{\"model_id\": \""
                + model
                + "\", \"dataset_id\": \""
                + dataset
                + "\", \"features\": [\"dog\"]}");
    HttpResponse<String> both =
        http.postJson(
            "/api/v1/runs",
            key,
            "{\"model_id\": \""
                + model
                + "\", \"dataset_id\": \""
                + dataset
                + "\", \"global_keys\": [\"a\"]}");

    assertError(params, 422, "INVALID_PARAMETERS");
    assertThat(params.body()).contains("confidence");
    assertError(feature, 400, "INVALID_INPUT");
    assertThat(HttpFixture.json(feature).get("error").get("details").get(0).get("path").asString())
        .isEqualTo("features[0]");
    assertError(both, 400, "INVALID_INPUT");
  }

  @Test
  void steering_a_run_that_cannot_move_is_409() {
    String model =
        Api.registerYaml(http, key, Api.manifest("steered", "https://203.0.113.10/t"))
            .get("id")
            .asString();
    String dataset = Api.dataset(http, key, "one row for steering");
    ok(
        http.post(
            "/api/v1/datasets/" + dataset + "/data-rows",
            key,
            "application/x-ndjson",
            "{\"row_data\": \"https://203.0.113.10/a.jpg\", \"media_type\": \"image\"}\n"),
        200);
    JsonNode run =
        ok(
            http.postJson(
                "/api/v1/runs",
                key,
                "{\"model_id\": \"" + model + "\", \"dataset_id\": \"" + dataset + "\"}"),
            202);
    String id = run.get("id").asString();

    JsonNode cancelled = ok(http.postJson("/api/v1/runs/" + id + "/cancel", key, ""), 200);
    assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
    assertError(
        http.postJson("/api/v1/runs/" + id + "/resume", key, ""), 409, "ILLEGAL_STATE_TRANSITION");
  }

  private static byte[] imageRows(String prefix, int count) {
    StringBuilder ndjson = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      ndjson.append(
          String.format(
              "{\"row_data\": \"https://img.example.com/%s-%d.jpg\", \"media_type\": \"image\","
                  + " \"global_key\": \"%s-%d\"}%n",
              prefix, i, prefix, i));
    }
    return ndjson.toString().getBytes(UTF_8);
  }

  /** How many imports the server has answered (or given up on), from its request metrics. */
  private static long importsHandled() {
    HttpResponse<String> metrics = http.get("/metrics", server.metricsKey);
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics
        .body()
        .lines()
        .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
        .filter(line -> line.contains("method=\"POST\"") && line.contains(IMPORTS))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void awaitImportsHandled(long count) {
    Duration bound = Duration.ofSeconds(30);
    long deadline = System.nanoTime() + bound.toNanos();
    while (importsHandled() < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the server did not finish the import within " + bound);
      }
      Thread.onSpinWait();
    }
  }

  private static byte[] bytes(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(part);
    }
    return joined.toByteArray();
  }
}
