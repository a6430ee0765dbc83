package org.openfoundry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openfoundry.server.HttpFixture.json;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebServerTest {
  private static AppFixture server;
  private static HttpFixture http;

  @BeforeAll
  static void start() {
    server = new AppFixture();
    http = server.http;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asString()).isEqualTo(code);
    assertThat(error.get("message").asString()).isNotBlank();
    assertThat(error.get("details").isArray()).isTrue();
  }

  @Test
  void health_answers_without_a_key() {
    HttpResponse<String> response = http.get("/api/v1/health", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asString()).isEqualTo("ok");
  }

  @Test
  void an_unknown_route_is_404_in_the_error_shape() {
    assertError(http.get("/api/v1/nothing-here", server.adminKey), 404, "NOT_FOUND");
  }

  @Test
  void a_route_without_a_key_is_401_with_a_bearer_challenge() {
    HttpResponse<String> response = http.get("/api/v1/api-keys", null);

    assertError(response, 401, "UNAUTHORIZED");
    assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
  }

  @Test
  void an_unknown_key_is_401() {
    assertError(
        http.get("/api/v1/api-keys", "ofk_thisKeyWasNeverIssuedByThisServer000000000"),
        401,
        "UNAUTHORIZED");
  }

  @Test
  void the_key_may_also_come_in_the_x_api_key_header() {
    HttpResponse<String> response =
        http.send(
            http.request("/api/v1/api-keys", null).header("X-API-Key", server.adminKey).GET());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void a_member_key_is_403_on_an_admin_route() {
    assertError(http.get("/api/v1/api-keys", server.memberKey), 403, "FORBIDDEN");
  }

  @Test
  void malformed_json_is_400_with_the_line_and_column() {
    HttpResponse<String> response =
        http.postJson(
            "/api/v1/api-keys",
            server.adminKey,
            "{\n  \"name\": \"ci\",\n  \"role\" \"member\"\n}");

    assertError(response, 400, "INVALID_INPUT");
    JsonNode detail = json(response).get("error").get("details").get(0);
    assertThat(detail.get("line").asInt()).isEqualTo(3);
    assertThat(detail.get("column").asInt()).isGreaterThan(1);
  }

  @Test
  void json_nested_past_the_depth_limit_is_413_naming_the_limit() {
    String deep = "[".repeat(65) + "]".repeat(65);
    HttpResponse<String> response =
        http.postJson("/api/v1/api-keys", server.adminKey, "{\"name\": " + deep + "}");

    assertError(response, 413, "PAYLOAD_TOO_LARGE");
    assertThat(json(response).get("error").get("details").get(0).get("message").asString())
        .isEqualTo("values are nested more than 64 levels deep");
  }

  @Test
  void bad_fields_are_400_naming_each_field_path() {
    HttpResponse<String> response =
        http.postJson(
            "/api/v1/api-keys",
            server.adminKey,
            "{\"name\": 12, \"role\": \"owner\", \"colour\": 1}");

    assertError(response, 400, "INVALID_INPUT");
    assertThat(json(response).get("error").get("details"))
        .extracting(
            detail -> detail.get("path").asString() + ": " + detail.get("message").asString())
        .containsExactlyInAnyOrder(
            "name: expected a string, got the number 12",
            "role: expected admin, member or metrics, got \"owner\"",
            "colour: unknown field; expected one of [name, role]");
  }

  @Test
  void a_wrong_content_type_is_415() {
    assertError(
        http.post("/api/v1/api-keys", server.adminKey, "text/plain", "name=ci"),
        415,
        "UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void a_body_over_the_limit_is_413() {
    String big = "{\"name\": \"" + "x".repeat(AppFixture.MAX_BODY) + "\"}";

    assertError(http.postJson("/api/v1/api-keys", server.adminKey, big), 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void a_created_key_is_shown_once_and_works_until_revoked() {
    HttpResponse<String> created =
        http.postJson(
            "/api/v1/api-keys", server.adminKey, "{\"name\": \"robot\", \"role\": \"member\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    String key = json(created).get("key").asString();
    String id = json(created).get("id").asString();

    HttpResponse<String> again = http.get("/api/v1/api-keys/" + id, server.adminKey);
    assertThat(json(again).has("key")).isFalse();
    assertThat(again.body()).doesNotContain(key);
    assertThat(http.get("/api/v1/openapi.json", key).statusCode()).isEqualTo(200);

    assertThat(http.delete("/api/v1/api-keys/" + id, server.adminKey).statusCode()).isEqualTo(200);
    assertError(http.get("/api/v1/openapi.json", key), 401, "UNAUTHORIZED");
  }

  @Test
  void lists_are_paged_with_a_cursor() {
    for (int index = 0; index < 3; index++) {
      http.postJson("/api/v1/api-keys", server.adminKey, "{\"name\": \"paged-" + index + "\"}");
    }
    JsonNode first = json(http.get("/api/v1/api-keys?limit=2", server.adminKey));
    String cursor = first.get("next_cursor").asString();
    JsonNode second = json(http.get("/api/v1/api-keys?limit=2&cursor=" + cursor, server.adminKey));

    assertThat(first.get("items")).hasSize(2);
    assertThat(second.get("items").get(0).get("id").asString())
        .isGreaterThan(first.get("items").get(1).get("id").asString());
    assertError(http.get("/api/v1/api-keys?limit=0", server.adminKey), 400, "INVALID_INPUT");
  }

  @Test
  void an_unknown_id_is_404() {
    assertError(http.get("/api/v1/api-keys/key_01NOSUCHKEY", server.adminKey), 404, "NOT_FOUND");
    assertError(http.get("/api/v1/api-keys/not-an-id", server.adminKey), 404, "NOT_FOUND");
  }

  @Test
  void revoking_the_last_admin_key_is_409() {
    String adminId =
        json(http.get("/api/v1/api-keys?limit=1", server.adminKey))
            .get("items")
            .get(0)
            .get("id")
            .asString();

    assertError(http.delete("/api/v1/api-keys/" + adminId, server.adminKey), 409, "CONFLICT");
  }

  @Test
  void metrics_are_prometheus_text_readable_by_a_metrics_key_which_can_read_nothing_else() {
    http.get("/api/v1/health", null);
    HttpResponse<String> metrics = http.get("/metrics", server.metricsKey);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains(
            "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/health\",status=\"200\"}");
    assertError(http.get("/api/v1/openapi.json", server.metricsKey), 403, "FORBIDDEN");
  }

  @Test
  void the_docs_page_and_its_assets_are_served_from_the_jar() {
    HttpResponse<String> page = http.get("/api/docs", null);
    HttpResponse<String> script = http.get("/api/docs/assets/swagger-ui-bundle.js", null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("/api/docs/assets/swagger-ui-bundle.js")
        .doesNotContain("https://");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    assertError(http.get("/api/docs/assets/..%2F..%2Fpom.properties", null), 404, "NOT_FOUND");
  }

  @Test
  void a_method_the_route_does_not_have_is_404() {
    assertError(
        http.send(
            http.request("/api/v1/health", null)
                .method("PATCH", HttpRequest.BodyPublishers.noBody())),
        404,
        "NOT_FOUND");
  }
}
